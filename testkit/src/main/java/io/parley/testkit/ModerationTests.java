package io.parley.testkit;

import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Member;
import io.parley.domain.Role;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.parley.testkit.StoreFixture.assertFailsWith;
import static io.parley.testkit.StoreFixture.assertUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code Rooms} and {@code RoomLog} contract for roles, hand-overs and bans. */
interface ModerationTests extends StoreFixture {

    @Test
    default void the_creator_owns_the_room_and_the_others_are_members_in_joining_order() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);

        assertEquals(List.of(new Member(alice.id(), Role.OWNER), new Member(bob.id(), Role.MEMBER)),
                rooms().membersWithRoles(room));
        assertEquals(Optional.of(Role.OWNER), rooms().roleOf(room, alice.id()));
        assertEquals(Optional.empty(), rooms().roleOf(room, drafts().user("carol").id()));
    }

    @Test
    default void a_role_change_appends_role_changed_and_changes_nothing_when_it_would_not() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId room = roomWith(alice, bob);
        EventDraft.SetRole promote = new EventDraft.SetRole(room, bob.id(), Role.ADMIN, alice.id(), drafts().now());

        assertEquals(promote.toEvent(3), append(promote));
        assertEquals(Optional.of(Role.ADMIN), rooms().roleOf(room, bob.id()));
        assertUnchanged(log().append(new EventDraft.SetRole(room, bob.id(), Role.ADMIN, alice.id(), drafts().now())));
        assertUnchanged(log().append(new EventDraft.SetRole(room, carol.id(), Role.ADMIN, alice.id(), drafts().now())));
        assertUnchanged(log().append(new EventDraft.SetRole(room, alice.id(), Role.MEMBER, alice.id(), drafts().now())));
        append(new EventDraft.SetRole(room, bob.id(), Role.MEMBER, alice.id(), drafts().now()));
        assertEquals(Optional.of(Role.MEMBER), rooms().roleOf(room, bob.id()));
        assertEquals(4, log().lastSeq(room));
        assertEquals(List.of(promote.toEvent(3)), log().eventsAfter(room, 2, 1), "replayed as appended");
    }

    @Test
    default void a_hand_over_makes_the_member_owner_and_the_owner_an_admin_who_may_then_leave() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId room = roomWith(alice, bob);
        EventDraft.HandOver handOver = new EventDraft.HandOver(room, alice.id(), bob.id(), drafts().now());

        RoomEvent event = append(handOver);

        assertEquals(new RoomEvent.RoleChanged(room, 3, bob.id(), Role.OWNER, alice.id(), handOver.at()), event);
        assertEquals(bob.id(), rooms().find(room).orElseThrow().owner());
        assertEquals(List.of(new Member(alice.id(), Role.ADMIN), new Member(bob.id(), Role.OWNER)),
                rooms().membersWithRoles(room));
        assertUnchanged(log().append(new EventDraft.HandOver(room, alice.id(), bob.id(), drafts().now())));
        assertUnchanged(log().append(new EventDraft.HandOver(room, bob.id(), carol.id(), drafts().now())));
        append(drafts().leave(room, alice));
        append(drafts().join(room, alice));
        assertEquals(Optional.of(Role.MEMBER), rooms().roleOf(room, alice.id()), "back as a member");
    }

    @Test
    default void a_ban_ends_the_membership_and_refuses_joins_until_it_is_lifted() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        EventDraft.Ban ban = new EventDraft.Ban(room, bob.id(), alice.id(), drafts().now());

        assertEquals(ban.toEvent(3), append(ban));

        assertFalse(rooms().isMember(room, bob.id()));
        assertFalse(rooms().roomsOf(bob.id()).contains(room));
        assertTrue(rooms().isBanned(room, bob.id()));
        assertEquals(List.of(bob.id()), rooms().banned(room));
        assertFailsWith(ErrorCode.FORBIDDEN, () -> log().append(drafts().join(room, bob)));
        assertUnchanged(log().append(new EventDraft.Ban(room, bob.id(), alice.id(), drafts().now())));
        assertEquals(3, log().lastSeq(room));

        EventDraft.Unban unban = new EventDraft.Unban(room, bob.id(), alice.id(), drafts().now());
        assertEquals(unban.toEvent(4), append(unban));
        assertUnchanged(log().append(new EventDraft.Unban(room, bob.id(), alice.id(), drafts().now())));
        assertFalse(rooms().isBanned(room, bob.id()));
        append(drafts().join(room, bob));
        assertEquals(Optional.of(Role.MEMBER), rooms().roleOf(room, bob.id()));
        assertEquals(List.of(ban.toEvent(3), unban.toEvent(4)), log().eventsAfter(room, 2, 2));
    }

    @Test
    default void a_user_banned_before_joining_cannot_join_and_the_owner_cannot_be_banned() {
        User alice = drafts().user("alice");
        User mallory = drafts().user("mallory");
        RoomId room = roomWith(alice);

        append(new EventDraft.Ban(room, mallory.id(), alice.id(), drafts().now()));

        assertFailsWith(ErrorCode.FORBIDDEN, () -> log().append(drafts().join(room, mallory)));
        assertFailsWith(ErrorCode.FORBIDDEN,
                () -> log().append(new EventDraft.Ban(room, alice.id(), alice.id(), drafts().now())));
        assertTrue(rooms().isMember(room, alice.id()));
        assertEquals(2, log().lastSeq(room));
    }
}
