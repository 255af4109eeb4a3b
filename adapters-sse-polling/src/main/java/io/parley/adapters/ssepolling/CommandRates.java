package io.parley.adapters.ssepolling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command rate limit of resumable sessions, as a token bucket per session (sustained rate and burst
 * of the WebSocket sessions). Commands of one session may land on any node; each node counts what it
 * receives, so the limit holds per node.
 */
final class CommandRates {
    private final double perNano;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    CommandRates(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
    }

    /** @return whether a command of the session may run now */
    boolean tryAcquire(String session) {
        long now = System.nanoTime();
        boolean[] granted = new boolean[1];
        buckets.compute(session, (s, bucket) -> {
            Bucket current = bucket == null ? new Bucket(burst, now) : bucket.refill(now, perNano, burst);
            granted[0] = current.tokens >= 1;
            return granted[0] ? new Bucket(current.tokens - 1, now) : current;
        });
        return granted[0];
    }

    /** Forgets buckets that have been full (idle) for a while. */
    void forgetIdle(long idleNanos) {
        long now = System.nanoTime();
        buckets.entrySet().removeIf(entry -> now - entry.getValue().at > idleNanos);
    }

    private record Bucket(double tokens, long at) {
        Bucket refill(long now, double perNano, int burst) {
            return new Bucket(Math.min(burst, tokens + Math.max(0, now - at) * perNano), now);
        }
    }
}
