package io.parley.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where in the heartbeat interval each new session's periodic work falls (a live session's ping, an SSE
 * stream's comment and record refresh). A session counts its last heartbeat as {@link #next(Duration) some
 * phase} before it opened, so its first one still comes within one interval and the next ones every interval
 * after that. The phases of consecutive sessions are the fractional parts of multiples of the golden ratio,
 * spread about evenly over the interval for any run of them: the thousands of sessions a reconnect storm
 * opens in a second are not all pinged, and do not all answer, in the same tick every interval for as long as
 * they stay. Thread-safe.
 */
public final class HeartbeatPhases {
    private static final double GOLDEN_RATIO_FRACTION = 0.6180339887498949;
    private final AtomicLong opened = new AtomicLong();

    /**
     * @param interval the heartbeat interval
     * @return the next session's phase, in {@code [0, interval)}
     */
    public Duration next(Duration interval) {
        double fraction = (opened.getAndIncrement() * GOLDEN_RATIO_FRACTION) % 1.0;
        return Duration.ofNanos((long) (fraction * interval.toNanos()));
    }
}
