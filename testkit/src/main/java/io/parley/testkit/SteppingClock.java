package io.parley.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock for tests: starts at a fixed instant and moves forward by a fixed step at every reading, so that
 * successive drafts get distinct, increasing times. Whole-second steps survive any store's timestamp
 * precision, which keeps "stored equals appended" assertions exact. Thread-safe.
 */
public final class SteppingClock extends Clock {
    private final Instant start;
    private final Duration step;
    private final ZoneId zone;
    private final AtomicLong readings;

    private SteppingClock(Instant start, Duration step, ZoneId zone, AtomicLong readings) {
        this.start = start;
        this.step = step;
        this.zone = zone;
        this.readings = readings;
    }

    /**
     * @param start the first reading
     * @param step  how far each reading moves the clock; positive
     * @return a clock in UTC
     */
    public static SteppingClock create(Instant start, Duration step) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive");
        }
        return new SteppingClock(start, step, ZoneOffset.UTC, new AtomicLong());
    }

    @Override
    public Instant instant() {
        return start.plus(step.multipliedBy(readings.getAndIncrement()));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The returned clock shares this clock's readings. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new SteppingClock(start, step, Objects.requireNonNull(newZone, "zone"), readings);
    }
}
