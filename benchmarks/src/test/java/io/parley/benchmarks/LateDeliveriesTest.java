package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LateDeliveriesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LateDeliveries late = new LateDeliveries("parley", 15, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    private final long t0 = Instant.parse("2026-12-07T19:25:42.725Z").toEpochMilli();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void only_first_deliveries_over_the_threshold_are_late() {
        assertFalse(late.late(15_000));
        assertTrue(late.late(15_001));
    }

    @Test
    void late_messages_due_close_together_are_one_stall_and_a_gap_starts_the_next() {
        late.add(t0, 49_000);
        late.add(t0 + 20, 30_000);
        late.add(t0 + 40, 16_000);
        assertEquals("", printed(), "a stall is printed once it is over");
        late.add(t0 + 40 + LateDeliveries.GAP_MILLIS + 1, 20_000);
        late.flush();
        late.flush();
        String[] lines = printed().split("\n");
        assertEquals(2, lines.length, printed());
        assertEquals("late parley: 3 messages due 19:25:42.725–19:25:42.765 UTC, the worst first delivered 49.0 ms "
                + "after its schedule", lines[0]);
        assertEquals("late parley: 1 message due 19:25:42.866–19:25:42.866 UTC, the worst first delivered 20.0 ms "
                + "after its schedule", lines[1]);
    }
}
