package io.parley.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's presence across all their sessions and nodes.
 *
 * @param user     whose presence this is
 * @param status   aggregated status
 * @param lastSeen when the status last changed or a session last ended ({@link Instant#EPOCH} if never seen)
 */
public record Presence(UserId user, PresenceStatus status, Instant lastSeen) {
    /** Validates the presence. */
    public Presence {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /**
     * @param user a user never seen
     * @return offline, last seen never
     */
    public static Presence neverSeen(UserId user) {
        return new Presence(user, PresenceStatus.OFFLINE, Instant.EPOCH);
    }
}
