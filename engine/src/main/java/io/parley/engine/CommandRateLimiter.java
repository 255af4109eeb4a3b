package io.parley.engine;

/**
 * A token bucket per session: {@code perSecond} commands sustained, {@code burst} at once. Not
 * thread-safe; a session's commands are handled one at a time.
 */
final class CommandRateLimiter {
    private final double perMilli;
    private final int burst;
    private double tokens;
    private long lastMillis;
    private int rejectedInARow;

    CommandRateLimiter(int perSecond, int burst, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    /** @return whether a command may run now */
    boolean tryAcquire(long nowMillis) {
        tokens = Math.min(burst, tokens + Math.max(0, nowMillis - lastMillis) * perMilli);
        lastMillis = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            rejectedInARow = 0;
            return true;
        }
        rejectedInARow++;
        return false;
    }

    /** @return whether the client kept sending after being told to slow down (a burst's worth of refusals) */
    boolean abusive() {
        return rejectedInARow > burst;
    }
}
