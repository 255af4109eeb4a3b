package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MembershipPolicyTest {
    private static final UserId OWNER = UserId.of("owner");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");

    private static Room room(Visibility visibility) {
        return new Room(RoomId.of("r1"), "Room", visibility, OWNER, Instant.EPOCH);
    }

    @Test
    void anyone_may_join_an_open_room_by_themselves() {
        assertDoesNotThrow(() -> MembershipPolicy.checkAdd(room(Visibility.OPEN), ALICE, ALICE));
    }

    @Test
    void nobody_joins_a_private_room_by_themselves() {
        ParleyException e = assertThrows(ParleyException.class,
                () -> MembershipPolicy.checkAdd(room(Visibility.PRIVATE), ALICE, ALICE));
        assertEquals(ErrorCode.FORBIDDEN, e.code());
    }

    @Test
    void only_the_owner_adds_others() {
        assertDoesNotThrow(() -> MembershipPolicy.checkAdd(room(Visibility.PRIVATE), OWNER, BOB));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> MembershipPolicy.checkAdd(room(Visibility.OPEN), ALICE, BOB)).code());
    }

    @Test
    void members_may_leave_and_only_the_owner_removes_others() {
        assertDoesNotThrow(() -> MembershipPolicy.checkRemove(room(Visibility.OPEN), ALICE, ALICE));
        assertDoesNotThrow(() -> MembershipPolicy.checkRemove(room(Visibility.OPEN), OWNER, ALICE));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> MembershipPolicy.checkRemove(room(Visibility.OPEN), BOB, ALICE)).code());
    }

    @Test
    void the_owner_cannot_leave_their_own_room() {
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> MembershipPolicy.checkRemove(room(Visibility.OPEN), OWNER, OWNER)).code());
    }
}
