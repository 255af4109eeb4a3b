package io.parley.engine;

import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceFilterTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Presence presence(String user, PresenceStatus status, long secondsAfterT0) {
        return new Presence(UserId.of(user), status, T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void each_change_is_news_once_however_many_rooms_announce_it() {
        PresenceFilter filter = new PresenceFilter();

        assertTrue(filter.isNews(presence("ann", PresenceStatus.ONLINE, 0)));
        assertFalse(filter.isNews(presence("ann", PresenceStatus.ONLINE, 0)));
        assertTrue(filter.isNews(presence("ann", PresenceStatus.AWAY, 5)));
        assertFalse(filter.isNews(presence("ann", PresenceStatus.AWAY, 5)));
        assertTrue(filter.isNews(presence("ann", PresenceStatus.OFFLINE, 9)));
        assertFalse(filter.isNews(presence("ann", PresenceStatus.OFFLINE, 9)));
    }

    @Test
    void users_who_came_and_went_long_before_the_newest_change_are_forgotten() {
        PresenceFilter filter = new PresenceFilter();
        for (int i = 0; i < 1_000; i++) { // a stream of new users, a second apart, each online then offline
            filter.isNews(presence("u" + i, PresenceStatus.ONLINE, i));
            filter.isNews(presence("u" + i, PresenceStatus.OFFLINE, i));
        }

        long window = PresenceFilter.REMEMBERED.toSeconds();
        assertTrue(filter.size() <= 4 * (window + 1), "the recent ones and at most as many again: " + filter.size());
        // a late copy of a change still remembered is not news
        assertFalse(filter.isNews(presence("u" + (999 - window), PresenceStatus.OFFLINE, 999 - window)));
    }

    @Test
    void many_users_at_once_are_each_remembered_and_each_change_is_news_once() {
        PresenceFilter filter = new PresenceFilter();
        for (int i = 0; i < 5_000; i++) { // all within the window: nothing is forgotten as the table grows
            assertTrue(filter.isNews(presence("u" + i, PresenceStatus.ONLINE, 0)));
        }
        assertEquals(5_000, filter.size());
        for (int i = 0; i < 5_000; i++) {
            assertFalse(filter.isNews(presence("u" + i, PresenceStatus.ONLINE, 0)), "u" + i);
        }
        for (int i = 0; i < 5_000; i += 7) {
            assertTrue(filter.isNews(presence("u" + i, PresenceStatus.AWAY, 1)), "u" + i);
        }
        assertEquals(5_000, filter.size());
    }

    @Test
    void a_copy_that_arrives_late_still_matches_when_nothing_newer_came_through() {
        PresenceFilter filter = new PresenceFilter();
        assertTrue(filter.isNews(presence("bob", PresenceStatus.OFFLINE, 0)));
        assertTrue(filter.isNews(presence("cy", PresenceStatus.ONLINE, 1)));

        // the second room's copy of bob's change, read from a resumable session's mailbox much later
        assertFalse(filter.isNews(presence("bob", PresenceStatus.OFFLINE, 0)));
    }

    @Test
    void a_session_with_one_source_remembers_nothing_and_starts_remembering_with_a_second() {
        PresenceFilter filter = new PresenceFilter();
        assertTrue(filter.isNews(presence("ann", PresenceStatus.ONLINE, 0), 2));
        assertEquals(1, filter.size());

        // down to one room: no copy can come from another, and what was remembered is let go
        assertTrue(filter.isNews(presence("bob", PresenceStatus.ONLINE, 1), 1));
        assertEquals(0, filter.size());
        assertTrue(filter.isNews(presence("bob", PresenceStatus.ONLINE, 1), 1), "one room: each event as it comes");
        assertEquals(0, filter.size());

        // a second room again: copies are caught from then on
        assertTrue(filter.isNews(presence("cy", PresenceStatus.AWAY, 2), 2));
        assertFalse(filter.isNews(presence("cy", PresenceStatus.AWAY, 2), 2));
        assertEquals(1, filter.size());
    }

    @Test
    void a_table_that_grew_in_a_storm_shrinks_once_changes_a_window_newer_come_through() {
        PresenceFilter filter = new PresenceFilter();
        for (int i = 0; i < 1_000; i++) { // every member of a large room comes online at once
            assertTrue(filter.isNews(presence("u" + i, PresenceStatus.ONLINE, 0), 2));
        }
        assertEquals(2_048, filter.capacity());

        long later = PresenceFilter.REMEMBERED.toSeconds() + 1;
        assertTrue(filter.isNews(presence("v", PresenceStatus.ONLINE, later), 2));
        assertEquals(1, filter.size(), "the storm's changes are more than a window older than this one");
        assertEquals(8, filter.capacity());
        assertFalse(filter.isNews(presence("v", PresenceStatus.ONLINE, later), 2), "its copy is still caught");
    }
}
