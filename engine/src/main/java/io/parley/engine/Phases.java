package io.parley.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where in its period each new connection's periodic work falls, so that connections opened together do not
 * do it together: a live session's heartbeat ping, an SSE stream's comment and record refresh (a session
 * counts its last heartbeat as {@link #next(Duration) some phase} before it opened, so its first one still
 * comes within one interval and the next ones every interval after that), a WebSocket connection's delivery
 * marks (its first comes after a {@link #nextFraction() fraction} of the usual bytes), a long-poll's hold
 * (up to a fifth short of its wait). The phases of
 * consecutive connections are the fractional parts of multiples of the golden ratio, spread about evenly
 * over the period for any run of them: the thousands of sessions a reconnect storm opens in a second are not
 * all pinged, and do not all answer, in the same tick every interval for as long as they stay. Thread-safe.
 */
public final class Phases {
    private static final double GOLDEN_RATIO_FRACTION = 0.6180339887498949;
    private final AtomicLong opened = new AtomicLong();

    /** @return the next connection's phase as a fraction of the period, in {@code [0, 1)} */
    public double nextFraction() {
        return (opened.getAndIncrement() * GOLDEN_RATIO_FRACTION) % 1.0;
    }

    /**
     * @param interval the period
     * @return the next connection's phase, in {@code [0, interval)}
     */
    public Duration next(Duration interval) {
        return Duration.ofNanos((long) (nextFraction() * interval.toNanos()));
    }
}
