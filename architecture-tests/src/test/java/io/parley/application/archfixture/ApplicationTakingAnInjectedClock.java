package io.parley.application.archfixture;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;

/** Keeps {@code time_comes_from_an_injected_clock}: every read goes through a {@link Clock}. */
final class ApplicationTakingAnInjectedClock {
    private final Clock clock;

    ApplicationTakingAnInjectedClock(Clock clock) {
        this.clock = clock;
    }

    static ApplicationTakingAnInjectedClock withDefaultClock() {
        return new ApplicationTakingAnInjectedClock(Clock.systemUTC());
    }

    Instant instant() {
        return clock.instant();
    }

    Instant instantNow() {
        return Instant.now(clock);
    }

    LocalDateTime localDateTimeNow() {
        return LocalDateTime.now(clock);
    }

    long millis() {
        return clock.millis();
    }

    static long elapsedNanos(long start) {
        return System.nanoTime() - start;
    }
}
