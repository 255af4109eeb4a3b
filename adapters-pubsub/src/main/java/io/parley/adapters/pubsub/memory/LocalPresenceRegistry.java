package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Each user's sessions and presence as one immutable value, replaced atomically per user, so that
 * concurrent calls for one user announce every change exactly once and calls for different users do not
 * contend.
 *
 * <p>A user who goes offline is remembered for their last-seen time, but not for ever: as the Redis registry
 * does, for {@code keepOffline} (30 days), and here also for at most {@code maxOffline} users (the ones who
 * went offline most recently), so that a node seeing a stream of new users does not grow without bound. A
 * user forgotten reads as never seen.
 */
final class LocalPresenceRegistry implements PresenceRegistry {
    /** Offline users remembered at most, by default: some 20 MB. */
    static final int MAX_OFFLINE = 100_000;
    /** How long an offline user's last-seen time is kept, by default (as in Redis). */
    static final Duration KEEP_OFFLINE = Duration.ofDays(30);

    private final Map<UserId, UserSessions> users = new ConcurrentHashMap<>();
    /** Each time a user went offline, oldest first; an entry is stale when the user came back since. */
    private final Queue<Presence> wentOffline = new ConcurrentLinkedQueue<>();
    private final AtomicInteger offline = new AtomicInteger();
    private final int maxOffline;
    private final Duration keepOffline;

    LocalPresenceRegistry(int maxOffline, Duration keepOffline) {
        this.maxOffline = maxOffline;
        this.keepOffline = Objects.requireNonNull(keepOffline, "keepOffline");
    }

    @Override
    public Optional<Presence> sessionOpened(UserId user, String session, Instant at) {
        Objects.requireNonNull(session, "session");
        return update(user, at, sessions -> sessions.put(session, PresenceStatus.ONLINE));
    }

    @Override
    public Optional<Presence> sessionClosed(UserId user, String session, Instant at) {
        Objects.requireNonNull(session, "session");
        return update(user, at, sessions -> sessions.remove(session));
    }

    @Override
    public Optional<Presence> statusSet(UserId user, String session, PresenceStatus status, Instant at) {
        Objects.requireNonNull(session, "session");
        if (status == PresenceStatus.OFFLINE) {
            throw ParleyException.invalid("a session sets online or away; offline is derived");
        }
        return update(user, at, sessions -> sessions.replace(session, status));
    }

    @Override
    public List<Presence> presenceOf(Collection<UserId> users) {
        return users.stream()
                .map(user -> Optional.ofNullable(this.users.get(user))
                        .map(UserSessions::presence)
                        .orElseGet(() -> Presence.neverSeen(user)))
                .toList();
    }

    private Optional<Presence> update(UserId user, Instant at, Consumer<Map<String, PresenceStatus>> change) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(at, "at");
        Presence[] announced = new Presence[1];
        users.compute(user, (u, current) -> {
            UserSessions before = current == null ? UserSessions.none(u) : current;
            Map<String, PresenceStatus> sessions = new HashMap<>(before.sessions());
            change.accept(sessions);
            PresenceStatus status = PresenceStatus.aggregate(sessions.values());
            Presence presence = before.presence();
            if (status != presence.status()) {
                presence = new Presence(u, status, at);
                announced[0] = presence;
            }
            return new UserSessions(Map.copyOf(sessions), presence);
        });
        if (announced[0] != null && announced[0].status() == PresenceStatus.OFFLINE) {
            wentOffline.add(announced[0]);
            offline.incrementAndGet();
        }
        forgetOffline(at);
        return Optional.ofNullable(announced[0]);
    }

    /** Forgets the users offline longest while more than the most are remembered, or for too long. */
    private void forgetOffline(Instant now) {
        Instant keptSince = now.minus(keepOffline);
        while (true) {
            Presence oldest = wentOffline.peek();
            if (oldest == null || offline.get() <= maxOffline && !oldest.lastSeen().isBefore(keptSince)) {
                return;
            }
            if (wentOffline.remove(oldest)) {
                offline.decrementAndGet();
                users.computeIfPresent(oldest.user(), (u, current) ->
                        current.sessions().isEmpty() && current.presence().equals(oldest) ? null : current);
            }
        }
    }

    /**
     * @param sessions the user's live sessions and their statuses
     * @param presence the aggregated presence, with the time of its last change
     */
    private record UserSessions(Map<String, PresenceStatus> sessions, Presence presence) {
        static UserSessions none(UserId user) {
            return new UserSessions(Map.of(), Presence.neverSeen(user));
        }
    }
}
