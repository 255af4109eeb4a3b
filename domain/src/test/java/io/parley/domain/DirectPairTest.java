package io.parley.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectPairTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");

    @Test
    void a_pair_has_one_room_id_whoever_opens_it_and_other_pairs_have_others() {
        DirectPair pair = DirectPair.of(BOB, ALICE);
        assertEquals(pair, DirectPair.of(ALICE, BOB));
        assertEquals(ALICE, pair.first());
        assertEquals(pair.roomId(), DirectPair.of(ALICE, BOB).roomId());
        assertTrue(pair.roomId().value().startsWith("dm-"));
        assertEquals(35, pair.roomId().value().length());
        assertNotEquals(pair.roomId(), DirectPair.of(ALICE, UserId.of("carol")).roomId());
        assertEquals(BOB, pair.other(ALICE));
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> DirectPair.of(ALICE, ALICE)).code());
        // the longest ids still make a valid room id
        DirectPair longest = DirectPair.of(UserId.of("a".repeat(128)), UserId.of("b".repeat(128)));
        assertEquals(35, longest.roomId().value().length());
    }
}
