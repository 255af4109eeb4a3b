package io.parley.application.service;

import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationBudgetTest {
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final LongSupplier clock = () -> now.toEpochMilli();

    @Test
    void a_user_creates_the_hourly_number_at_once_then_one_per_share_of_the_hour_and_others_are_not_charged() {
        CreationBudget budget = new CreationBudget(4, clock);
        UserId ann = UserId.of("ann");
        for (int i = 0; i < 4; i++) {
            assertTrue(budget.take(ann), "room " + i);
        }
        assertFalse(budget.take(ann), "the fifth within the hour");
        assertTrue(budget.take(UserId.of("bob")), "bob has his own budget");

        now = now.plus(Duration.ofMinutes(14));
        assertFalse(budget.take(ann), "not a quarter of an hour yet");
        now = now.plus(Duration.ofMinutes(1));
        assertTrue(budget.take(ann), "a quarter of an hour gives one back");
        assertFalse(budget.take(ann));

        now = now.plus(Duration.ofDays(1));
        for (int i = 0; i < 4; i++) {
            assertTrue(budget.take(ann), "a full bucket again, never more: " + i);
        }
        assertFalse(budget.take(ann));
    }

    @Test
    void users_whose_budget_is_full_again_are_forgotten_when_many_are_remembered() {
        CreationBudget budget = new CreationBudget(10, clock);
        for (int i = 0; i < 10_000; i++) {
            budget.take(UserId.of("u" + i));
        }
        assertEquals(10_000, budget.remembered());
        now = now.plus(Duration.ofHours(1));
        budget.take(UserId.of("one-more"));
        assertEquals(1, budget.remembered(), "every full bucket forgotten; only the user who just took is kept");
    }
}
