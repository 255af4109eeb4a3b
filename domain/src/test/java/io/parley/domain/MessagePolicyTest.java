package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagePolicyTest {
    private static final UserId OWNER = UserId.of("owner");
    private static final UserId AUTHOR = UserId.of("author");
    private static final UserId OTHER = UserId.of("other");
    private static final Room ROOM = new Room(RoomId.of("r"), "Room", Visibility.OPEN, OWNER, Instant.EPOCH);
    private static final Message MESSAGE = new Message(MessageId.of("m"), ROOM.id(), 3, AUTHOR, "Author", "hi",
            Optional.of("https://example.com/a.png"), Instant.EPOCH, Optional.empty(), false);

    @Test
    void only_the_author_edits() {
        assertDoesNotThrow(() -> MessagePolicy.checkEdit(MESSAGE, AUTHOR));
        assertEquals(ErrorCode.FORBIDDEN,
                assertThrows(ParleyException.class, () -> MessagePolicy.checkEdit(MESSAGE, OWNER)).code());
    }

    @Test
    void the_author_the_room_owner_or_an_admin_deletes() {
        assertDoesNotThrow(() -> MessagePolicy.checkDelete(MESSAGE, ROOM, Role.MEMBER, AUTHOR));
        assertDoesNotThrow(() -> MessagePolicy.checkDelete(MESSAGE, ROOM, Role.OWNER, OWNER));
        assertDoesNotThrow(() -> MessagePolicy.checkDelete(MESSAGE, ROOM, Role.ADMIN, OTHER));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> MessagePolicy.checkDelete(MESSAGE, ROOM, Role.MEMBER, OTHER)).code());
        Room direct = Room.direct(DirectPair.of(AUTHOR, OWNER), OWNER, Instant.EPOCH);
        assertDoesNotThrow(() -> MessagePolicy.checkDelete(MESSAGE, direct, Role.MEMBER, AUTHOR));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> MessagePolicy.checkDelete(MESSAGE, direct, Role.OWNER, OWNER)).code(),
                "nobody moderates a direct conversation");
    }

    @Test
    void a_tombstone_keeps_its_seq_and_loses_body_and_attachment() {
        Message tombstone = MESSAGE.tombstone();
        assertEquals(3, tombstone.seq());
        assertEquals("", tombstone.body());
        assertTrue(tombstone.attachmentUrl().isEmpty());
        assertTrue(tombstone.deleted());
        assertEquals(ErrorCode.NOT_FOUND,
                assertThrows(ParleyException.class, () -> MessagePolicy.checkEdit(tombstone, AUTHOR)).code());
    }

    @Test
    void an_edit_keeps_the_seq_and_records_when() {
        Message edited = MESSAGE.edited("hello", Instant.ofEpochSecond(5));
        assertEquals(3, edited.seq());
        assertEquals("hello", edited.body());
        assertEquals(Optional.of(Instant.ofEpochSecond(5)), edited.editedAt());
    }
}
