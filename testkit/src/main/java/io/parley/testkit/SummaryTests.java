package io.parley.testkit;

import io.parley.domain.Message;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSummary;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code Rooms} room-list contract: last seq, read marker, unread count, activity order. */
interface SummaryTests extends StoreFixture {

    @Test
    default void unread_counts_messages_by_others_that_are_not_deleted_and_above_the_read_marker() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, bob, "read already");
        post(room, bob, "unread");
        post(room, alice, "own message");
        Message deleted = post(room, bob, "deleted");
        post(room, bob, "unread too");
        append(drafts().delete(room, deleted.id()));
        append(drafts().read(room, alice, 3));

        RoomSummary forAlice = rooms().summariesOf(alice.id()).getFirst();
        RoomSummary forBob = rooms().summariesOf(bob.id()).getFirst();

        assertEquals(new RoomSummary(rooms().find(room).orElseThrow(), 9, 3, 2), forAlice);
        assertEquals(new RoomSummary(rooms().find(room).orElseThrow(), 9, 0, 1), forBob);
    }

    @Test
    default void reading_up_to_the_last_seq_leaves_nothing_unread() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, bob, "one");
        post(room, bob, "two");
        append(drafts().read(room, alice, 4));

        assertEquals(List.of(0L), rooms().summariesOf(alice.id()).stream().map(RoomSummary::unread).toList());
    }

    @Test
    default void summaries_list_the_users_rooms_most_recently_active_first() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId first = roomWith(alice, bob);
        RoomId second = roomWith(alice);
        RoomId third = roomWith(bob, alice);
        roomWith(bob);
        post(first, bob, "first is the liveliest now");

        List<RoomId> order = rooms().summariesOf(alice.id()).stream().map(s -> s.room().id()).toList();

        assertEquals(List.of(first, third, second), order);
    }

    @Test
    default void a_room_left_is_no_longer_summarised() {
        User alice = drafts().user("alice");
        RoomId kept = roomWith(alice);
        RoomId left = roomWith(alice);
        append(drafts().leave(left, alice));

        assertEquals(List.of(kept), rooms().summariesOf(alice.id()).stream().map(s -> s.room().id()).toList());
        assertEquals(List.of(), rooms().summariesOf(drafts().user("nobody").id()));
    }
}
