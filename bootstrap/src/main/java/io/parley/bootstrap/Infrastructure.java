package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.persistence.jdbc.JdbcSettings;
import io.parley.adapters.persistence.jdbc.JdbcStorage;
import io.parley.adapters.persistence.memory.InMemoryConnectTickets;
import io.parley.adapters.persistence.memory.InMemoryResumableSessions;
import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.adapters.pubsub.redis.RedisPubSub;
import io.parley.application.LocalCounters;
import io.parley.application.LocalRevocations;
import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.FeedCursors;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.Revocations;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.application.port.out.UsageCounters;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The outbound adapters chosen by configuration ({@code parley.store.kind}, {@code parley.fanout.kind}),
 * with the readiness probe of each and what to close on shutdown.
 *
 * @param rooms     rooms store
 * @param log       room log
 * @param fanout    fan-out
 * @param presence  presence registry
 * @param counters  the counts behind the per-user limits (shared through Redis, else this node's)
 * @param sessions  records of SSE and long-poll sessions (kept with the store)
 * @param tickets   connect tickets (kept with the store)
 * @param revocations revoked users (kept with the store)
 * @param feedCursors event listeners' positions (kept with the store)
 * @param readiness named readiness probes
 * @param closers   what to close on shutdown, in order
 */
record Infrastructure(Rooms rooms, RoomLog log, Fanout fanout, PresenceRegistry presence, UsageCounters counters,
                      ResumableSessions sessions,
                      ConnectTickets tickets, Revocations revocations, FeedCursors feedCursors,
                      List<Probe> readiness, List<AutoCloseable> closers) implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Infrastructure.class.getName());

    /**
     * A named readiness check.
     *
     * @param name  check name (also its path under /observe/health/ready)
     * @param probe true when ready
     */
    record Probe(String name, BooleanSupplier probe) {
    }

    static Infrastructure from(Config parley, Clock clock) {
        List<Probe> readiness = new ArrayList<>();
        List<AutoCloseable> closers = new ArrayList<>();
        String storeKind = parley.get("store.kind").asString().orElse("memory");
        Rooms rooms;
        RoomLog log;
        ResumableSessions sessions;
        ConnectTickets tickets;
        Revocations revocations;
        FeedCursors feedCursors;
        switch (storeKind) {
            case "memory" -> {
                Optional<String> shared = parley.get("store.memory.shared-name").asString().asOptional()
                        .filter(name -> !name.isBlank());
                InMemoryStore store = shared.map(SharedMemoryStores::named).orElseGet(InMemoryStore::create);
                rooms = store.rooms();
                log = store.log();
                sessions = shared.map(SharedMemoryStores::sessions).orElseGet(InMemoryResumableSessions::create);
                tickets = shared.map(SharedMemoryStores::tickets).orElseGet(InMemoryConnectTickets::create);
                revocations = shared.map(SharedMemoryStores::revocations).orElseGet(LocalRevocations::create);
                feedCursors = store.feedCursors();
                readiness.add(new Probe("store", () -> true));
            }
            case "jdbc" -> {
                JdbcStorage storage = JdbcStorage.create(JdbcSettings.create(parley.get("store.jdbc")));
                rooms = storage.rooms();
                log = storage.log();
                sessions = storage.sessions(); // shared by every node on the database: no sticky routing needed
                tickets = storage.tickets();
                revocations = storage.revocations();
                feedCursors = storage.feedCursors();
                readiness.add(new Probe("store", storage::ping));
                closers.add(storage);
            }
            default -> throw new IllegalStateException("unknown parley.store.kind '" + storeKind
                    + "': use memory or jdbc");
        }
        String fanoutKind = parley.get("fanout.kind").asString().orElse("memory");
        Fanout fanout;
        PresenceRegistry presence;
        UsageCounters counters;
        switch (fanoutKind) {
            case "memory" -> {
                fanout = InMemoryFanout.create();
                presence = InMemoryPresenceRegistry.create();
                counters = LocalCounters.create();
                readiness.add(new Probe("fanout", () -> true));
            }
            case "redis" -> {
                RedisPubSub redis = RedisSetup.connect(parley.get("fanout.redis"), clock);
                fanout = redis.fanout();
                presence = redis.presence();
                counters = redis.counters();
                readiness.add(RedisSetup.readiness(redis));
                RedisSetup.metrics(redis);
                closers.add(redis);
            }
            default -> throw new IllegalStateException("unknown parley.fanout.kind '" + fanoutKind
                    + "': use memory or redis");
        }
        return new Infrastructure(rooms, log, fanout, presence, counters, sessions, tickets, revocations,
                feedCursors, List.copyOf(readiness),
                List.copyOf(closers));
    }

    @Override
    public void close() {
        for (AutoCloseable closer : closers.reversed()) {
            try {
                closer.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + closer + " failed", e);
            }
        }
    }
}
