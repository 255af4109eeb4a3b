package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which ramp steps leave their connections behind, so that one step's backlog cannot spill into the next. */
class RampStepTest {
    private static Scenarios.Window step(long lost, int closed, double p99) {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, p99, p99, p99, p99);
        return new Scenarios.Window(100_000, 1000, lost, 0, 0, closed, l, l, OptionalDouble.of(1), 0.5, 0, 10, "",
                RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
    }

    @Test
    void a_step_that_held_keeps_its_connections() {
        assertFalse(Scenarios.startsOver(step(0, 0, 40)));
        assertFalse(Scenarios.startsOver(step(0, 0, 900)), "a late step without loss is not a backlog yet");
    }

    @Test
    void a_step_that_lost_closed_or_fell_seconds_behind_starts_the_next_on_new_connections() {
        assertTrue(Scenarios.startsOver(step(28_670, 0, 5_099)), "lost, nothing closed: the publisher's queue is left");
        assertTrue(Scenarios.startsOver(step(0, 1001, 300)), "slow consumers closed");
        assertTrue(Scenarios.startsOver(step(0, 0, 9_100)), "nothing lost within the drain, but seconds behind");
    }
}
