package io.parley.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructor;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Recognises code that reads the wall clock of the machine instead of an injected {@link Clock}.
 *
 * <p>Matched: {@code System.currentTimeMillis()}, {@code new Date()}, and every {@code now(..)} of the
 * {@code java.time} date-time types except {@code now(Clock)}, whether called or used as a method reference
 * ({@code Instant::now}). {@code Clock.systemUTC()} is not matched: creating the system clock as a default that
 * a builder lets callers replace is how the clock gets injected. {@code System.nanoTime()} is not matched
 * either: it measures elapsed time for timeouts and carries no date.
 */
final class SystemClockReads {

    private static final Set<String> TEMPORALS_WITH_NOW = Set.of(
            Instant.class.getName(), LocalDateTime.class.getName(), ZonedDateTime.class.getName(),
            OffsetDateTime.class.getName(), LocalDate.class.getName(), LocalTime.class.getName(),
            OffsetTime.class.getName());

    private SystemClockReads() {
    }

    /** @return a predicate matching accesses (calls or method references) that read the system clock */
    static DescribedPredicate<JavaAccess<?>> readingTheSystemClock() {
        return DescribedPredicate.describe(
                "Instant.now(), System.currentTimeMillis(), LocalDateTime.now(), ZonedDateTime.now(), "
                        + "OffsetDateTime.now() or another read of the system clock",
                access -> readsTheSystemClock(access.getTarget()));
    }

    private static boolean readsTheSystemClock(AccessTarget target) {
        if (!(target instanceof CodeUnitAccessTarget codeUnit)) {
            return false;
        }
        String owner = codeUnit.getOwner().getName();
        String name = codeUnit.getName();
        List<String> parameters = codeUnit.getRawParameterTypes().stream().map(JavaClass::getName).toList();
        if (owner.equals(System.class.getName())) {
            return name.equals("currentTimeMillis");
        }
        if (owner.equals(Date.class.getName())) {
            return name.equals(JavaConstructor.CONSTRUCTOR_NAME) && parameters.isEmpty();
        }
        return TEMPORALS_WITH_NOW.contains(owner)
                && name.equals("now")
                && !parameters.equals(List.of(Clock.class.getName()));
    }
}
