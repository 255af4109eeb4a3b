package io.parley.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Command rate limits kept by key, one {@link CommandRateLimiter} each: per user over all their sessions on
 * this node (without it a user multiplied the session rate by their sessions; {@link UserCommandBudget} adds
 * the deployment's count), and per resumable session
 * (whose commands may land on any node: each node counts what it receives). Buckets that have been full
 * for a while are forgotten.
 *
 * @param <K> what is counted: a user id, a session id
 */
public final class CommandBuckets<K> {
    private final int perSecond;
    private final int burst;
    private final LongSupplier millis;
    private final Map<K, CommandRateLimiter> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond commands sustained per second per key
     * @param burst     commands at once per key
     * @param millis    the time, in milliseconds
     */
    public CommandBuckets(int perSecond, int burst, LongSupplier millis) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.millis = millis;
    }

    /**
     * @param key whose command it is
     * @return whether one more command may run now (and counts it if so)
     */
    public boolean tryAcquire(K key) {
        long now = millis.getAsLong();
        boolean[] granted = new boolean[1];
        buckets.compute(key, (k, bucket) -> {
            CommandRateLimiter current = bucket == null ? new CommandRateLimiter(perSecond, burst, now) : bucket;
            granted[0] = current.tryAcquire(now);
            return current;
        });
        return granted[0];
    }

    /**
     * Forgets buckets that have been full for {@code idleMillis}: forgetting them changes nothing.
     *
     * @param idleMillis how long a bucket must have been full
     */
    public void forgetIdle(long idleMillis) {
        long now = millis.getAsLong();
        buckets.values().removeIf(bucket -> bucket.idleSince(now, idleMillis));
    }

    /**
     * @param key whose bucket to look for
     * @return whether its bucket is remembered (not forgotten as idle)
     */
    public boolean remembers(K key) {
        return buckets.containsKey(key);
    }

    /** @return how many keys are remembered */
    public int size() {
        return buckets.size();
    }
}
