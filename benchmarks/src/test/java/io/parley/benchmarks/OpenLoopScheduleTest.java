package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenLoopScheduleTest {
    @Test
    void message_i_is_due_at_start_plus_i_over_rate_whatever_was_sent_before() {
        OpenLoopSchedule s = new OpenLoopSchedule(1_000, 1_000, 5); // one per millisecond
        assertEquals(1_000, s.dueAt(0));
        assertEquals(1_000 + 3_000_000, s.dueAt(3));
        assertEquals(1_000 + 4_000_000, s.endNanos());
    }

    @Test
    void a_generator_that_falls_behind_finds_every_overdue_message_due_at_once() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1_000, 100);
        assertEquals(0, s.dueBy(-1));
        assertEquals(1, s.dueBy(0));
        assertEquals(1, s.dueBy(999_999));
        assertEquals(2, s.dueBy(1_000_000));
        // stalled for 50 ms: the 50 messages that fell due meanwhile are all due now, with their own times
        assertEquals(51, s.dueBy(50_000_000));
        assertEquals(100, s.dueBy(10_000_000_000L));
    }

    @Test
    void fractional_intervals_do_not_drift() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 3, 3_001); // 333.33 ms apart
        assertEquals(1_000_000_000L, s.dueAt(3), 1);
        assertEquals(1_000_000_000_000L, s.dueAt(3_000), 1);
    }

    @Test
    void a_rate_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, Double.NaN, 1));
    }
}
