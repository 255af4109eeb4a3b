package io.parley.application;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCountersTest {
    private long now = 1_000_000_000L;
    private final LocalCounters counters = LocalCounters.create(() -> now);

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private boolean room(String user) {
        return counters.take("rooms:" + user, 1, 4, 4 / 3600.0) == 1;
    }

    @Test
    void a_bucket_gives_its_capacity_at_once_then_one_per_share_of_the_hour_and_other_keys_are_not_charged() {
        for (int i = 0; i < 4; i++) {
            assertTrue(room("ann"), "room " + i);
        }
        assertFalse(room("ann"), "the fifth within the hour");
        assertTrue(room("bob"), "bob has his own bucket");

        advance(Duration.ofMinutes(14));
        assertFalse(room("ann"), "not a quarter of an hour yet");
        advance(Duration.ofMinutes(1));
        assertTrue(room("ann"), "a quarter of an hour gives one back");
        assertFalse(room("ann"));

        advance(Duration.ofDays(1));
        for (int i = 0; i < 4; i++) {
            assertTrue(room("ann"), "a full bucket again, never more: " + i);
        }
        assertFalse(room("ann"));
    }

    @Test
    void take_gives_what_the_bucket_has_up_to_what_was_wanted() {
        assertEquals(10, counters.take("commands:ann", 10, 25, 5));
        assertEquals(15, counters.take("commands:ann", 20, 25, 5), "the rest of the 25");
        assertEquals(0, counters.take("commands:ann", 1, 25, 5));
        advance(Duration.ofMillis(1_000));
        assertEquals(5, counters.take("commands:ann", 20, 25, 5), "five a second");
    }

    @Test
    void keys_whose_bucket_is_full_again_are_forgotten_when_many_are_remembered() {
        for (int i = 0; i < 10_000; i++) {
            counters.take("rooms:u" + i, 1, 10, 10 / 3600.0);
        }
        assertEquals(10_000, counters.remembered());
        advance(Duration.ofHours(1));
        counters.take("rooms:one-more", 1, 10, 10 / 3600.0);
        assertEquals(1, counters.remembered(), "every full bucket forgotten; only the key just taken from is kept");
    }

    @Test
    void a_set_holds_at_most_its_places_a_holder_once_and_a_release_frees_one() {
        assertTrue(counters.hold("ws:ann", "s1", 2));
        assertTrue(counters.hold("ws:ann", "s1", 2), "holding again what is held succeeds and takes nothing more");
        assertTrue(counters.hold("ws:ann", "s2", 2));
        assertFalse(counters.hold("ws:ann", "s3", 2), "full");
        assertTrue(counters.hold("ws:bob", "s4", 2), "bob has his own places");
        assertEquals(2, counters.held("ws:ann"));
        counters.release("ws:ann", "s1");
        counters.release("ws:ann", "never-held");
        assertEquals(1, counters.held("ws:ann"));
        assertTrue(counters.hold("ws:ann", "s3", 2));
        counters.release("ws:ann", "s2");
        counters.release("ws:ann", "s3");
        counters.release("ws:bob", "s4");
        assertEquals(0, counters.remembered(), "empty sets are forgotten");
    }
}
