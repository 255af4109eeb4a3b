package io.parley.engine;

/**
 * A token bucket per session: {@code perSecond} commands sustained, {@code burst} at once. The one command
 * rate rule of every kind of session (live ones hold one each; resumable ones one per session per node).
 * Not thread-safe: a session's commands are handled one at a time, or the owner synchronises.
 */
public final class CommandRateLimiter {
    private final double perMilli;
    private final int burst;
    private double tokens;
    private long lastMillis;
    private int rejectedInARow;

    /**
     * @param perSecond commands sustained per second
     * @param burst     commands at once
     * @param nowMillis the time now, in milliseconds
     */
    public CommandRateLimiter(int perSecond, int burst, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    /**
     * @param nowMillis the time now, in milliseconds
     * @return whether a command may run now
     */
    public boolean tryAcquire(long nowMillis) {
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
    public boolean abusive() {
        return rejectedInARow > burst;
    }

    /**
     * @param nowMillis the time now, in milliseconds
     * @return whether the bucket has been full since before {@code idleMillis} ago: forgetting it changes
     *         nothing
     */
    public boolean idleSince(long nowMillis, long idleMillis) {
        return nowMillis - lastMillis >= idleMillis
                && Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli) >= burst;
    }
}
