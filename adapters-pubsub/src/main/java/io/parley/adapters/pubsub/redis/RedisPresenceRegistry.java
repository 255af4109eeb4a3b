package io.parley.adapters.pubsub.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Presence across nodes in Redis ({@link PresenceScripts}). Each session entry expires {@code ttl} after its
 * node last refreshed it; this node refreshes its own sessions every {@code ttl / 3} ({@link #refresh()}), and
 * any node's {@link #sweep()} removes expired entries and reports the resulting changes to the
 * {@link #onExpiry} listeners. So a crashed node's users go offline within {@code ttl} plus a sweep interval.
 *
 * <p>This node also remembers its own sessions: when Redis is unreachable a call still answers (announcing
 * nothing), and the next refresh after Redis is back restores whatever Redis is missing and reports the
 * changes through {@link #onExpiry}.
 */
final class RedisPresenceRegistry implements PresenceRegistry {
    private static final System.Logger LOG = System.getLogger(RedisPresenceRegistry.class.getName());
    private static final int SWEEP_BATCH = 500;
    private static final int STRIPES = 64;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String userPrefix;
    private final String index;
    private final String node;
    private final Duration ttl;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, LocalSession> local = new ConcurrentHashMap<>();
    /** Sessions whose last change did not reach Redis, with their user: written again by the next refresh. */
    private final Map<String, UserId> unsynced = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final List<Consumer<Presence>> expiryListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong sweeps = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopped;

    private record LocalSession(UserId user, PresenceStatus status) {
    }

    RedisPresenceRegistry(RedisClusterAsyncCommands<String, String> redis, String namespace, String node, Duration ttl,
                          Duration timeout, Clock clock) {
        this.redis = redis;
        this.userPrefix = "{" + namespace + "}:presence:user:";
        this.index = "{" + namespace + "}:presence:expiring";
        this.node = node;
        this.ttl = ttl;
        this.timeout = timeout;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public Optional<Presence> sessionOpened(UserId user, String session, Instant at) {
        check(user, session, at);
        return locked(user, () -> {
            local.put(session, new LocalSession(user, PresenceStatus.ONLINE));
            return change(user, "open", session, PresenceStatus.ONLINE, at);
        });
    }

    @Override
    public Optional<Presence> sessionClosed(UserId user, String session, Instant at) {
        check(user, session, at);
        return locked(user, () -> {
            local.remove(session);
            return change(user, "close", session, PresenceStatus.OFFLINE, at);
        });
    }

    @Override
    public Optional<Presence> statusSet(UserId user, String session, PresenceStatus status, Instant at) {
        check(user, session, at);
        Objects.requireNonNull(status, "status");
        if (status == PresenceStatus.OFFLINE) {
            throw ParleyException.invalid("a session sets online or away; offline is derived");
        }
        return locked(user, () -> {
            local.computeIfPresent(session, (s, known) -> new LocalSession(known.user(), status));
            return change(user, "status", session, status, at);
        });
    }

    @Override
    public void onExpiry(Consumer<Presence> listener) {
        expiryListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public List<Presence> presenceOf(Collection<UserId> users) {
        List<UserId> asked = List.copyOf(users);
        List<CompletableFuture<List<KeyValue<String, String>>>> replies = new ArrayList<>(asked.size());
        for (UserId user : asked) {
            replies.add(Channels.attempt(() -> redis.hmget(userPrefix + user.value(), "~status", "~since")
                    .toCompletableFuture()));
        }
        List<Presence> result = new ArrayList<>(asked.size());
        for (int i = 0; i < asked.size(); i++) {
            List<KeyValue<String, String>> fields;
            try {
                fields = call(replies.get(i));
            } catch (Unreachable e) {
                throw new ParleyException(ErrorCode.UNAVAILABLE, "presence is unavailable, try again", e);
            }
            UserId user = asked.get(i);
            if (fields.get(0).hasValue() && fields.get(1).hasValue()) {
                result.add(new Presence(user, status(fields.get(0).getValue()), Instant.parse(fields.get(1).getValue())));
            } else {
                result.add(Presence.neverSeen(user));
            }
        }
        return result;
    }

    /**
     * Extends the expiry of this node's sessions, and writes again what Redis is missing (entries swept during an
     * outage, changes that did not reach it, or data Redis lost). Runs on a worker.
     */
    void refresh() {
        if (stopped || !refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            Map<UserId, List<String>> byUser = new LinkedHashMap<>();
            local.forEach((session, entry) -> byUser.computeIfAbsent(entry.user(), u -> new ArrayList<>()).add(session));
            List<CompletableFuture<Void>> pending = new ArrayList<>(byUser.size());
            byUser.forEach((user, sessions) -> {
                List<String> args = new ArrayList<>(sessions.size() + 2);
                args.add(user.value());
                args.add(Long.toString(ttl.toMillis()));
                args.addAll(sessions);
                CompletableFuture<List<Object>> run = PresenceScripts.REFRESH.run(redis, ScriptOutputType.MULTI,
                        keys(user), args.toArray(String[]::new));
                pending.add(run.thenAccept(missing -> missing.forEach(s -> unsynced.put((String) s, user))));
            });
            call(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
            Map.copyOf(unsynced).forEach((session, user) -> reconcile(user, session));
        } catch (Unreachable e) {
            LOG.log(System.Logger.Level.DEBUG, "refreshing presence failed; retried at the next interval: " + e);
        } finally {
            refreshing.set(false);
        }
    }

    /** Removes expired sessions of any node and reports the changes. Runs on a worker. */
    void sweep() {
        if (stopped || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Object> changes;
            do {
                Instant at = clock.instant();
                changes = call(PresenceScripts.SWEEP.<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[]{index}, userPrefix, at.toString(), Integer.toString(SWEEP_BATCH)));
                for (int i = 0; i + 1 < changes.size(); i += 2) {
                    report(new Presence(UserId.of((String) changes.get(i)), status((String) changes.get(i + 1)), at));
                }
            } while (changes.size() / 2 >= SWEEP_BATCH);
            sweeps.incrementAndGet();
        } catch (Unreachable e) {
            LOG.log(System.Logger.Level.DEBUG, "presence sweep failed; retried at the next interval: " + e);
        } finally {
            sweeping.set(false);
        }
    }

    /** @return how many sweeps completed */
    long sweeps() {
        return sweeps.get();
    }

    /** Stops refreshing and sweeping, as a crashed node would: its entries expire. */
    void stop() {
        stopped = true;
    }

    /**
     * Brings Redis in line with this node's view of one session: restores it with its current status while it is
     * live here, removes it otherwise. Changes are reported like expiries: nobody else announces them.
     */
    private void reconcile(UserId user, String session) {
        locked(user, () -> {
            LocalSession entry = local.get(session);
            Optional<Presence> changed = entry == null
                    ? change(user, "close", session, PresenceStatus.OFFLINE, clock.instant())
                    : change(user, "restore", session, entry.status(), clock.instant());
            changed.ifPresent(this::report);
            return null;
        });
    }

    private Optional<Presence> change(UserId user, String operation, String session, PresenceStatus status,
                                      Instant at) {
        String changed;
        try {
            changed = call(PresenceScripts.CHANGE.run(redis, ScriptOutputType.VALUE, keys(user),
                    user.value(), operation, session, status.wireName(), node, Long.toString(ttl.toMillis()),
                    at.toString()));
        } catch (Unreachable e) {
            // Announce nothing now; the first refresh after Redis is back writes this session's state.
            unsynced.put(session, user);
            return Optional.empty();
        }
        unsynced.remove(session);
        return changed == null ? Optional.empty() : Optional.of(new Presence(user, status(changed), at));
    }

    private void report(Presence presence) {
        for (Consumer<Presence> listener : expiryListeners) {
            try {
                listener.accept(presence);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a presence expiry listener failed", e);
            }
        }
    }

    /** @return the reply; throws {@link Unreachable} when Redis did not answer in time */
    private <T> T call(CompletableFuture<T> reply) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new Unreachable(e.getCause() == null ? e : e.getCause());
        }
    }

    private <T> T locked(UserId user, java.util.function.Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod(user.hashCode(), STRIPES)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private String[] keys(UserId user) {
        return new String[]{userPrefix + user.value(), index};
    }

    private static PresenceStatus status(String wire) {
        return PresenceStatus.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Redis did not answer. */
    private static final class Unreachable extends RuntimeException {
        private Unreachable(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    private static void check(UserId user, String session, Instant at) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(at, "at");
    }
}
