package io.parley.testkit;

import io.parley.application.port.out.FeedCursors;
import io.parley.domain.Room;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of the {@link FeedCursors} port, over the store whose rooms it follows. Extend it and implement
 * {@link #open()}. Feed names and rooms are unique per test, so stores shared by tests (one database) are fine.
 */
public abstract class FeedCursorsContract {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    /**
     * The store under test.
     *
     * @param store     its rooms and log
     * @param cursors   its feed cursors
     * @param otherNode the same cursors as another node sees them (may be the same object)
     */
    public record Fixture(ChatStore store, FeedCursors cursors, FeedCursors otherNode) {
        /** Validates the fixture. */
        public Fixture {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(cursors, "cursors");
            Objects.requireNonNull(otherNode, "otherNode");
        }
    }

    private final String feed = "feed-" + UUID.randomUUID().toString().substring(0, 8);
    private final Drafts drafts = Drafts.create(Clock.systemUTC());
    private Fixture fixture;

    /** For subclasses. */
    protected FeedCursorsContract() {
    }

    /** @return a fixture, called before every test */
    protected abstract Fixture open();

    /** Opens the store. */
    @BeforeEach
    protected final void openStore() {
        fixture = open();
    }

    /** Closes the store. */
    @AfterEach
    protected final void closeStore() {
        fixture.store().close();
    }

    private Room roomWithPosts(User owner, int posts) {
        Room room = drafts.room("feed", owner);
        fixture.store().rooms().create(room, List.of(owner.id()));
        for (int i = 0; i < posts; i++) {
            fixture.store().log().append(drafts.post(room.id(), owner, "p" + i));
        }
        return room;
    }

    @Test
    void a_new_feed_starts_at_the_rooms_latest_events_and_later_rooms_at_their_start() {
        User ann = drafts.user("ann");
        Room before = roomWithPosts(ann, 2);
        FeedCursors cursors = fixture.cursors();

        assertTrue(cursors.register(feed));
        assertFalse(fixture.otherNode().register(feed), "registered once");
        assertFalse(cursors.behind(feed, 100_000).contains(before.id()), "what happened before is not the feed's");
        Room after = roomWithPosts(ann, 1);
        fixture.store().log().append(drafts.post(before.id(), ann, "new"));

        List<RoomId> behind = cursors.behind(feed, 100_000);
        assertTrue(behind.contains(before.id()) && behind.contains(after.id()), behind.toString());
        assertEquals(OptionalLong.of(3), cursors.claim(feed, before.id(), "a", T0, T0.plusSeconds(10)),
                "the join and two posts were before it");
        assertEquals(OptionalLong.of(0), cursors.claim(feed, after.id(), "a", T0, T0.plusSeconds(10)));
    }

    @Test
    void registering_leaves_a_cursor_that_a_claim_already_made_where_it_is() {
        User ann = drafts.user("ann");
        Room room = roomWithPosts(ann, 2);
        FeedCursors cursors = fixture.cursors();

        assertEquals(OptionalLong.of(0), cursors.claim(feed, room.id(), "a", T0, T0.plusSeconds(10)));
        assertTrue(cursors.register(feed));
        assertTrue(cursors.behind(feed, 100_000).contains(room.id()),
                "the claimed room's events are still the feed's: registering did not move its cursor");
        assertEquals(OptionalLong.of(0), cursors.claim(feed, room.id(), "a", T0, T0.plusSeconds(10)));
    }

    @Test
    void one_holder_at_a_time_until_its_lease_runs_out_and_only_the_holder_moves_the_cursor() {
        FeedCursors here = fixture.cursors();
        FeedCursors there = fixture.otherNode();
        here.register(feed);
        Room room = roomWithPosts(drafts.user("bob"), 3);

        assertEquals(OptionalLong.of(0), here.claim(feed, room.id(), "a", T0, T0.plusSeconds(10)));
        assertEquals(OptionalLong.empty(), there.claim(feed, room.id(), "b", T0.plusSeconds(5), T0.plusSeconds(15)));
        assertFalse(there.advance(feed, room.id(), "b", 2, T0.plusSeconds(15)), "not b's");
        assertTrue(here.advance(feed, room.id(), "a", 2, T0.plusSeconds(20)), "extends the lease too");
        assertFalse(here.advance(feed, room.id(), "a", 1, T0.plusSeconds(20)), "never back");
        assertEquals(OptionalLong.empty(), there.claim(feed, room.id(), "b", T0.plusSeconds(15), T0.plusSeconds(25)));

        assertEquals(OptionalLong.of(2), there.claim(feed, room.id(), "b", T0.plusSeconds(21), T0.plusSeconds(31)),
                "a's lease ran out: b takes over where a got to");
        assertFalse(here.advance(feed, room.id(), "a", 3, T0.plusSeconds(40)), "a lost it");
        there.release(feed, room.id(), "b");
        assertEquals(OptionalLong.of(2), here.claim(feed, room.id(), "a", T0.plusSeconds(22), T0.plusSeconds(32)),
                "released: free at once");
        assertTrue(here.behind(feed, 100_000).contains(room.id()), "4 events, 2 taken");
        assertTrue(here.advance(feed, room.id(), "a", 4, T0.plusSeconds(32)));
        assertFalse(here.behind(feed, 100_000).contains(room.id()));
    }
}
