package io.parley.adapters.persistence.memory;

import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.Reaction;
import io.parley.domain.ReplyPreview;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A message made into a record and back is the same message, whatever it holds. */
class MessageRecordTest {
    private static final RoomId ROOM = RoomId.of("room");

    @Property(tries = 500)
    void every_message_comes_back_as_it_went_in(
            @ForAll @AlphaChars @Chars({'é', 'ß', '中'}) @StringLength(min = 1, max = 120) String id,
            @ForAll @LongRange(min = 1) long seq,
            @ForAll @AlphaChars @StringLength(min = 1, max = 40) String author,
            @ForAll @StringLength(max = 300) String anyText,
            @ForAll @LongRange(min = -10_000_000_000L, max = 10_000_000_000L) long seconds,
            @ForAll @IntRange(max = 999_999_999) int nanos,
            @ForAll boolean edited, @ForAll boolean deleted, @ForAll boolean attachment, @ForAll boolean reply,
            @ForAll @Size(max = 5) List<@AlphaChars @StringLength(min = 1, max = 10) String> mentions) {
        // valid Unicode, as the domain's text rule lets in: any character but a lone surrogate, and a pair
        String body = anyText.chars().filter(c -> !Character.isSurrogate((char) c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "😀";
        Instant at = Instant.ofEpochSecond(seconds, nanos);
        Message message = new Message(MessageId.of(id), ROOM, seq, UserId.of(author), author + " 名", body,
                attachment ? Optional.of("https://files.example/" + id) : Optional.empty(), at,
                edited ? Optional.of(at.plusNanos(1)) : Optional.empty(), deleted,
                reply ? Optional.of(new ReplyPreview(MessageId.of("p" + id), UserId.of("x" + author), "X",
                        ReplyPreview.excerpt(body), deleted)) : Optional.empty(),
                mentions.stream().map(UserId::of).toList(), List.of());

        byte[] record = MessageRecord.of(message);

        assertEquals(message, MessageRecord.message(record, ROOM));
        assertEquals(seq, MessageRecord.seq(record));
        assertEquals(at, MessageRecord.sentAt(record));
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        assertTrue(MessageRecord.hasId(record, utf8));
        assertFalse(MessageRecord.hasId(record, (id + "x").getBytes(StandardCharsets.UTF_8)));
        assertEquals(RoomMessages.hash(utf8, 0, utf8.length), MessageRecord.idHash(record));
        List<String> readers = new java.util.ArrayList<>(mentions);
        readers.add(author);
        readers.add("reader-who-is-nobody-here");
        for (String reader : readers) {
            UserId user = UserId.of(reader);
            boolean unread = !message.deleted() && !message.author().equals(user);
            byte[] readerId = reader.getBytes(StandardCharsets.UTF_8);
            assertEquals(unread, MessageRecord.unreadBy(record, readerId, false), reader);
            assertEquals(unread && message.mentions().contains(user), MessageRecord.unreadBy(record, readerId, true), reader);
        }
    }

    @Test
    void a_message_with_counted_reactions_is_refused_rather_than_stored_without_them() {
        Message message = new Message(MessageId.of("m"), ROOM, 1, UserId.of("u"), "U", "hi", Optional.empty(),
                Instant.EPOCH, Optional.empty(), false).withReactions(List.of(new Reaction("👍", 1, false)));
        assertThrows(IllegalArgumentException.class, () -> MessageRecord.of(message));
    }
}
