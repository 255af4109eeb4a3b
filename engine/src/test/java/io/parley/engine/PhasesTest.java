package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PhasesTest {
    private static final Duration INTERVAL = Duration.ofSeconds(25);

    @Test
    void consecutive_sessions_get_phases_spread_about_evenly_over_the_interval() {
        Phases phases = new Phases();
        for (int skip = 0; skip < 537; skip++) {
            phases.next(INTERVAL); // any run of consecutive sessions, not only the first
        }
        int sessions = 1000;
        int slots = 250; // the SSE deadline clock's 100 ms ticks
        int[] perSlot = new int[slots];
        for (int i = 0; i < sessions; i++) {
            Duration phase = phases.next(INTERVAL);
            assertTrue(!phase.isNegative() && phase.compareTo(INTERVAL) < 0, "phase " + phase);
            perSlot[(int) (phase.toNanos() * slots / INTERVAL.toNanos())]++;
        }
        for (int slot = 0; slot < slots; slot++) {
            // 4 a slot on average; uniform random phases would leave about 5 slots empty and 2 with 10 or more
            assertTrue(perSlot[slot] >= 1 && perSlot[slot] <= 7, "slot " + slot + ": " + perSlot[slot]);
        }
    }
}
