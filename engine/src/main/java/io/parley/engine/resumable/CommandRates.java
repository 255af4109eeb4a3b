package io.parley.engine.resumable;

import io.parley.engine.CommandRateLimiter;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command rate limit of resumable sessions: the engine's {@link CommandRateLimiter} (the rule every
 * session follows, with the live sessions' rate and burst), one per session. Commands of one session may
 * land on any node; each node counts what it receives, so the limit holds per node.
 */
final class CommandRates {
    private final int perSecond;
    private final int burst;
    private final Clock clock;
    private final Map<String, CommandRateLimiter> buckets = new ConcurrentHashMap<>();

    CommandRates(int perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** @return whether a command of the session may run now */
    boolean tryAcquire(String session) {
        long now = clock.millis();
        boolean[] granted = new boolean[1];
        buckets.compute(session, (s, bucket) -> {
            CommandRateLimiter current = bucket == null ? new CommandRateLimiter(perSecond, burst, now) : bucket;
            granted[0] = current.tryAcquire(now);
            return current;
        });
        return granted[0];
    }

    /** Forgets buckets that have been full (idle) for a while. */
    void forgetIdle(long idleMillis) {
        long now = clock.millis();
        buckets.values().removeIf(bucket -> bucket.idleSince(now, idleMillis));
    }
}
