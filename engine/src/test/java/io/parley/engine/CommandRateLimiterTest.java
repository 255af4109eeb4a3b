package io.parley.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandRateLimiterTest {
    @Test
    void a_burst_passes_then_the_sustained_rate_applies() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 3, 0);
        assertTrue(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(0));
        assertFalse(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(100), "one token refills every 100 ms at 10/s");
        assertFalse(limiter.tryAcquire(100));
    }

    @Test
    void a_client_that_ignores_refusals_counts_as_abusive() {
        CommandRateLimiter limiter = new CommandRateLimiter(1, 2, 0);
        limiter.tryAcquire(0);
        limiter.tryAcquire(0);
        for (int i = 0; i < 3; i++) {
            assertFalse(limiter.tryAcquire(0));
        }
        assertTrue(limiter.abusive());
    }

    @Test
    void a_bucket_is_idle_only_once_it_is_full_again_and_unused_for_the_whole_period() {
        CommandRateLimiter limiter = new CommandRateLimiter(1, 2, 0);
        limiter.tryAcquire(0);
        limiter.tryAcquire(0);

        assertFalse(limiter.idleSince(1_000, 1_000), "one token back of two");
        assertTrue(limiter.idleSince(2_000, 1_000), "full again, unused for a second");
        assertFalse(limiter.idleSince(2_000, 5_000), "not unused for five");
    }
}
