package io.parley.engine;

import io.parley.domain.UserId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The command rate of one user over all their sessions on this node, live and resumable alike: the same
 * token bucket as a session's ({@link CommandRateLimiter}), one per user. Without it a user multiplied the
 * session rate by their sessions (20 sessions, 20 times the rate). Buckets that have been full for a
 * minute are forgotten.
 */
final class UserCommandBudget {
    private static final long IDLE_MILLIS = 60_000;

    private final int perSecond;
    private final int burst;
    private final LongSupplier millis;
    private final Map<UserId, CommandRateLimiter> buckets = new ConcurrentHashMap<>();

    UserCommandBudget(int perSecond, int burst, LongSupplier millis) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.millis = millis;
    }

    /** @return whether the user may run one more command now (and counts it if so) */
    boolean tryAcquire(UserId user) {
        long now = millis.getAsLong();
        boolean[] granted = new boolean[1];
        buckets.compute(user, (u, bucket) -> {
            CommandRateLimiter current = bucket == null ? new CommandRateLimiter(perSecond, burst, now) : bucket;
            granted[0] = current.tryAcquire(now);
            return current;
        });
        return granted[0];
    }

    /** Forgets users whose bucket has been full for a minute. */
    void forgetIdle() {
        long now = millis.getAsLong();
        buckets.values().removeIf(bucket -> bucket.idleSince(now, IDLE_MILLIS));
    }

    /** @return how many users are remembered */
    int size() {
        return buckets.size();
    }
}
