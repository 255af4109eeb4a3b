package io.parley.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock for tests that moves only when the test moves it ({@link #set}, {@link #advance}), in UTC; every
 * reading in between is the same instant. Thread-safe. {@link SteppingClock} is the one that moves by itself.
 */
public final class MovingClock extends Clock {
    private volatile Instant now;

    /** @param start the first reading */
    public MovingClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** @param instant what the clock reads from now on */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    /** @param by how far to move the clock */
    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The clock stays in UTC: tests read instants, not local times. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
