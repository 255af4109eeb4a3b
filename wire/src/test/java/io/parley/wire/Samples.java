package io.parley.wire;

import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Optional;

/** Test data shared by the codec tests. */
final class Samples {
    static final RoomId ROOM = RoomId.of("room-1");
    static final UserId ALICE = UserId.of("alice");
    static final Instant SENT = Instant.parse("2024-05-01T12:00:00Z");
    static final Instant EDITED = Instant.parse("2024-05-01T12:00:03.120Z");

    private Samples() {
    }

    /** A plain message: no attachment, never edited. */
    static Message message() {
        return new Message(MessageId.of("m-1"), ROOM, 5, ALICE, "Alice", "hello", Optional.empty(), SENT,
                Optional.empty(), false);
    }

    /** A message with an attachment, edited once. */
    static Message editedMessageWithAttachment() {
        return new Message(MessageId.of("m-2"), ROOM, 6, ALICE, "Alice", "fixed", Optional.of("https://f/x.png"),
                SENT, Optional.of(EDITED), false);
    }

    /** Writes JSON with single quotes for readability; turns them into double quotes. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** The message object of {@link #message()}. */
    static final String MESSAGE_JSON = json("{'id':'m-1','room':'room-1','seq':5,'author':'alice','author_name':'Alice',"
            + "'body':'hello','attachment_url':null,'sent_at':'2024-05-01T12:00:00Z','edited_at':null,'deleted':false}");
}
