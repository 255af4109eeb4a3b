package io.parley.testkit;

import io.parley.domain.DirectPair;
import io.parley.domain.ErrorCode;
import io.parley.domain.Member;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomListQuery;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.parley.testkit.StoreFixture.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code Rooms} contract for direct conversations and display names. */
interface DirectConversationTests extends StoreFixture {

    @Test
    default void a_direct_conversation_keeps_its_pair_both_are_members_and_a_second_one_is_a_conflict() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        DirectPair pair = DirectPair.of(alice.id(), bob.id());
        Room room = Room.direct(pair, bob.id(), drafts().now());

        rooms().create(room, List.of(bob.id(), alice.id()));

        assertEquals(Optional.of(room), rooms().find(pair.roomId()));
        assertEquals(List.of(new Member(bob.id(), Role.MEMBER), new Member(alice.id(), Role.MEMBER)),
                rooms().membersWithRoles(pair.roomId()), "nobody owns a conversation");
        assertFailsWith(ErrorCode.CONFLICT, () -> rooms().create(Room.direct(pair, alice.id(), drafts().now()),
                List.of(alice.id(), bob.id())));
        assertEquals(2, log().lastSeq(pair.roomId()));
        assertEquals(Optional.of(pair), rooms().summariesOf(alice.id(), RoomListQuery.first(10)).rooms().getFirst()
                .room().direct(), "the room list carries the pair");
    }

    @Test
    default void display_names_are_remembered_and_the_latest_wins() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");

        rooms().rememberName(alice);
        rooms().rememberName(new User(alice.id(), "Alice Liddell"));
        rooms().rememberName(bob);

        assertEquals(Map.of(alice.id(), "Alice Liddell", bob.id(), bob.displayName()),
                rooms().namesOf(List.of(alice.id(), bob.id(), drafts().user("carol").id())));
        assertEquals(Map.of(), rooms().namesOf(List.of()));
    }
}
