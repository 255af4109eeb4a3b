package io.parley.engine.resumable;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of resumable sessions (their heartbeat, replay limit and command rate are the hub's).
 *
 * @param maxStreamsPerUser open event streams one user may hold: on all nodes together when the core's
 *                          {@code UsageCounters} are shared (Redis), else on each node
 * @param idleExpiry        how long a session's record outlives its last stream, poll or command
 * @param maxWait           the longest a reader waits for events (a long-poll's longest wait); a topic
 *                          nobody listens to keeps its broker subscription a little longer, so readers that
 *                          come and go do not subscribe and unsubscribe each time
 * @param batchSize         the most events one {@link SessionReader#collect} reads per room; also how far
 *                          back an inbox looks for the {@code member_joined} of a room joined while nobody
 *                          read the session
 * @param maxSessionsPerUser sessions one user holds, on every node together (their records are shared):
 *                          opening one more ends the one used longest ago
 */
public record ResumableSettings(int maxStreamsPerUser, Duration idleExpiry, Duration maxWait, int batchSize,
                                int maxSessionsPerUser) {
    /** Validates the settings. */
    public ResumableSettings {
        Objects.requireNonNull(idleExpiry, "idleExpiry");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("maxStreamsPerUser must be at least 1");
        }
        if (batchSize < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("batchSize and maxSessionsPerUser must be at least 1");
        }
        if (idleExpiry.isNegative() || idleExpiry.isZero() || maxWait.isNegative()) {
            throw new IllegalArgumentException("idleExpiry must be positive and maxWait not negative");
        }
    }

    /** @return 10 streams per user, 10 minutes idle expiry, 30 s longest wait, batches of 200, 50 sessions per user */
    public static ResumableSettings defaults() {
        return new ResumableSettings(10, Duration.ofMinutes(10), Duration.ofSeconds(30), 200, 50);
    }
}
