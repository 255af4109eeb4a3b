package io.parley.testkit;

import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.parley.testkit.StoreFixture.assertFailsWith;
import static io.parley.testkit.StoreFixture.assertUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code Rooms} contract: creation and membership. */
interface MembershipTests extends StoreFixture {

    @Test
    default void creating_a_room_appends_one_member_joined_event_per_member_with_seqs_1_to_n() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        Room room = drafts().room("general", alice);

        List<RoomEvent.MemberJoined> joined = rooms().create(room, List.of(alice.id(), bob.id(), carol.id()));

        List<RoomEvent.MemberJoined> expected = List.of(
                new RoomEvent.MemberJoined(room.id(), 1, alice.id(), room.createdAt()),
                new RoomEvent.MemberJoined(room.id(), 2, bob.id(), room.createdAt()),
                new RoomEvent.MemberJoined(room.id(), 3, carol.id(), room.createdAt()));
        assertEquals(expected, joined);
        assertEquals(expected, log().eventsAfter(room.id(), 0, 10));
        assertEquals(3, log().lastSeq(room.id()));
        assertEquals(Optional.of(room), rooms().find(room.id()));
        assertEquals(List.of(alice.id(), bob.id(), carol.id()), rooms().members(room.id()));
    }

    @Test
    default void creating_a_room_with_an_existing_id_is_a_conflict_and_keeps_the_first_room() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        Room room = drafts().room("general", alice);
        rooms().create(room, List.of(alice.id()));
        Room sameId = new Room(room.id(), "impostor", room.visibility(), bob.id(), drafts().now());

        assertFailsWith(ErrorCode.CONFLICT, () -> rooms().create(sameId, List.of(bob.id())));

        assertEquals(Optional.of(room), rooms().find(room.id()));
        assertEquals(List.of(alice.id()), rooms().members(room.id()));
        assertEquals(1, log().lastSeq(room.id()));
        assertTrue(rooms().roomsOf(bob.id()).isEmpty());
    }

    @Test
    default void an_unknown_room_is_not_found() {
        assertEquals(Optional.empty(), rooms().find(RoomId.of("missing-" + drafts().messageId())));
    }

    @Test
    default void appending_to_a_room_that_does_not_exist_fails_with_not_found() {
        User alice = drafts().user("alice");
        RoomId missing = drafts().room("missing", alice).id();

        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(drafts().post(missing, alice, "hello")));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(drafts().join(missing, alice)));
        assertEquals(Optional.empty(), rooms().find(missing));
    }

    @Test
    default void members_are_listed_in_joining_order_and_follow_joins_and_leaves() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId room = roomWith(alice, bob);

        EventDraft.Join join = drafts().join(room, carol);
        assertEquals(join.toEvent(3), append(join));
        assertTrue(rooms().isMember(room, carol.id()));
        assertEquals(List.of(alice.id(), bob.id(), carol.id()), rooms().members(room));

        EventDraft.Leave leave = drafts().leave(room, bob);
        assertEquals(leave.toEvent(4), append(leave));
        assertFalse(rooms().isMember(room, bob.id()));
        assertEquals(List.of(alice.id(), carol.id()), rooms().members(room));

        append(drafts().join(room, bob));
        assertTrue(rooms().isMember(room, bob.id()));
        assertEquals(List.of(alice.id(), carol.id(), bob.id()), rooms().members(room));
    }

    @Test
    default void the_rooms_of_a_user_follow_joins_and_leaves() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId first = roomWith(alice);
        RoomId second = roomWith(bob);
        assertEquals(List.of(first), rooms().roomsOf(alice.id()));

        append(drafts().join(second, alice));
        assertEquals(Set.of(first, second), Set.copyOf(rooms().roomsOf(alice.id())));
        assertEquals(2, rooms().roomsOf(alice.id()).size());

        append(drafts().leave(first, alice));
        assertEquals(List.of(second), rooms().roomsOf(alice.id()));
        assertEquals(List.of(), rooms().roomsOf(drafts().user("nobody").id()));
    }

    @Test
    default void a_join_by_a_member_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);

        assertUnchanged(log().append(drafts().join(room, alice)));

        assertEquals(1, log().lastSeq(room));
        assertEquals(List.of(alice.id()), rooms().members(room));
    }

    @Test
    default void a_leave_by_a_non_member_appends_nothing() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice);

        assertUnchanged(log().append(drafts().leave(room, bob)));

        assertEquals(1, log().lastSeq(room));
        assertFalse(rooms().isMember(room, bob.id()));
    }
}
