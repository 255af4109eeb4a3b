package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The membership and moderation policies as a matrix: each operation tried by each role (and by a user who
 * is not a member) on each kind of target, against the outcome docs/protocol.md documents.
 */
class MembershipPolicyTest {
    private static final UserId ACTOR = UserId.of("actor");
    private static final UserId TARGET = UserId.of("target");
    /** Who asks, in this order in every expectation string: owner, admin, member, not a member. */
    private static final List<Optional<Role>> ACTORS = List.of(Optional.of(Role.OWNER), Optional.of(Role.ADMIN),
            Optional.of(Role.MEMBER), Optional.empty());

    private final List<String> failures = new ArrayList<>();

    private static Room room(Visibility visibility) {
        return new Room(RoomId.of("r"), "Room", visibility, ACTOR, Instant.EPOCH);
    }

    /** {@code outcomes}: one of ok / forbidden / not_found / invalid per actor, in {@link #ACTORS} order. */
    private void expect(String what, String outcomes, Consumer<Optional<Role>> check) {
        String[] each = outcomes.split(" ");
        for (int i = 0; i < ACTORS.size(); i++) {
            Optional<Role> actor = ACTORS.get(i);
            String got;
            try {
                check.accept(actor);
                got = "ok";
            } catch (ParleyException e) {
                got = e.code().wireName();
            }
            if (!got.equals(each[i])) {
                failures.add(what + " by " + actor.map(Role::wireName).orElse("non-member") + ": " + got
                        + ", documented " + each[i]);
            }
        }
    }

    @Test
    void joining_adding_and_removing() {
        expect("self-join of an open room", "ok ok ok ok",
                a -> MembershipPolicy.checkAdd(room(Visibility.OPEN), a, TARGET, TARGET, false));
        expect("self-join of a private room", "ok ok ok forbidden",
                a -> MembershipPolicy.checkAdd(room(Visibility.PRIVATE), a, TARGET, TARGET, false));
        expect("self-join while banned", "forbidden forbidden forbidden forbidden",
                a -> MembershipPolicy.checkAdd(room(Visibility.OPEN), a, TARGET, TARGET, true));
        expect("adding another", "ok ok forbidden forbidden",
                a -> MembershipPolicy.checkAdd(room(Visibility.PRIVATE), a, ACTOR, TARGET, false));
        expect("adding a banned user", "forbidden forbidden forbidden forbidden",
                a -> MembershipPolicy.checkAdd(room(Visibility.OPEN), a, ACTOR, TARGET, true));
        expect("removing a member", "ok ok forbidden forbidden",
                a -> MembershipPolicy.checkRemove(room(Visibility.OPEN), a, ACTOR, TARGET, Optional.of(Role.MEMBER)));
        expect("removing an admin", "ok forbidden forbidden forbidden",
                a -> MembershipPolicy.checkRemove(room(Visibility.OPEN), a, ACTOR, TARGET, Optional.of(Role.ADMIN)));
        expect("removing the owner", "forbidden forbidden forbidden forbidden",
                a -> MembershipPolicy.checkRemove(room(Visibility.OPEN), a, ACTOR, TARGET, Optional.of(Role.OWNER)));
        expect("leaving", "forbidden ok ok ok",
                a -> MembershipPolicy.checkRemove(room(Visibility.OPEN), a, ACTOR, ACTOR, a));
        Room direct = Room.direct(DirectPair.of(ACTOR, TARGET), ACTOR, Instant.EPOCH);
        expect("adding to a direct conversation", "forbidden forbidden forbidden forbidden",
                a -> MembershipPolicy.checkAdd(direct, a, ACTOR, UserId.of("third"), false));
        expect("leaving a direct conversation", "forbidden forbidden forbidden forbidden",
                a -> MembershipPolicy.checkRemove(direct, a, ACTOR, ACTOR, Optional.of(Role.MEMBER)));
        expect("moderating a direct conversation", "forbidden forbidden forbidden forbidden",
                a -> ModerationPolicy.checkModerated(direct));
        expect("changing a direct conversation's settings", "forbidden forbidden forbidden forbidden",
                a -> RoomPolicy.checkUpdate(direct, a.orElse(Role.MEMBER), direct.settings()));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void banning_naming_admins_and_handing_over() {
        // Moderation is only asked of members (the use cases check membership first), so the last column is
        // the member's again.
        List<Role> roles = List.of(Role.OWNER, Role.ADMIN, Role.MEMBER, Role.MEMBER);
        expect("banning a member", "ok ok forbidden forbidden", a -> ModerationPolicy.checkBan(role(a, roles),
                ACTOR, TARGET, Optional.of(Role.MEMBER)));
        expect("banning a non-member", "ok ok forbidden forbidden", a -> ModerationPolicy.checkBan(role(a, roles),
                ACTOR, TARGET, Optional.empty()));
        expect("banning an admin", "ok forbidden forbidden forbidden", a -> ModerationPolicy.checkBan(role(a, roles),
                ACTOR, TARGET, Optional.of(Role.ADMIN)));
        expect("banning the owner", "forbidden forbidden forbidden forbidden",
                a -> ModerationPolicy.checkBan(role(a, roles), ACTOR, TARGET, Optional.of(Role.OWNER)));
        expect("banning oneself", "forbidden forbidden forbidden forbidden",
                a -> ModerationPolicy.checkBan(role(a, roles), ACTOR, ACTOR, Optional.of(role(a, roles))));
        expect("unbanning", "ok ok forbidden forbidden", a -> ModerationPolicy.checkUnban(role(a, roles)));
        expect("naming an admin", "ok forbidden forbidden forbidden",
                a -> ModerationPolicy.checkSetRole(role(a, roles), Optional.of(Role.MEMBER), Role.ADMIN));
        expect("demoting an admin", "ok forbidden forbidden forbidden",
                a -> ModerationPolicy.checkSetRole(role(a, roles), Optional.of(Role.ADMIN), Role.MEMBER));
        expect("a role for a non-member", "not_found forbidden forbidden forbidden",
                a -> ModerationPolicy.checkSetRole(role(a, roles), Optional.empty(), Role.ADMIN));
        expect("owner as a role", "invalid invalid invalid invalid",
                a -> ModerationPolicy.checkSetRole(role(a, roles), Optional.of(Role.MEMBER), Role.OWNER));
        expect("handing over", "ok forbidden forbidden forbidden",
                a -> ModerationPolicy.checkTransfer(role(a, roles), ACTOR, TARGET, Optional.of(Role.MEMBER)));
        expect("handing over to a non-member", "not_found forbidden forbidden forbidden",
                a -> ModerationPolicy.checkTransfer(role(a, roles), ACTOR, TARGET, Optional.empty()));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(List.of(true, true, false), List.of(Role.OWNER.moderates(), Role.ADMIN.moderates(),
                Role.MEMBER.moderates()));
    }

    private static Role role(Optional<Role> actor, List<Role> roles) {
        return roles.get(ACTORS.indexOf(actor));
    }
}
