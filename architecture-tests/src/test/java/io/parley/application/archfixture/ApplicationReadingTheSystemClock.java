package io.parley.application.archfixture;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.function.Supplier;

/** Breaks {@code time_comes_from_an_injected_clock} in every way the rule knows, once each. */
final class ApplicationReadingTheSystemClock {
    private ApplicationReadingTheSystemClock() {
    }

    static Instant instantNow() {
        return Instant.now();
    }

    static long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    static LocalDateTime localDateTimeNow() {
        return LocalDateTime.now();
    }

    static ZonedDateTime zonedDateTimeNowInAZone() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    static OffsetDateTime offsetDateTimeNow() {
        return OffsetDateTime.now();
    }

    static Date newDate() {
        return new Date();
    }

    static Supplier<Instant> instantNowReference() {
        return Instant::now;
    }
}
