package io.parley.adapters.persistence.memory;

import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ReplyPreview;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A stored message as one byte array. The in-memory store keeps each message this way rather than as the
 * dozen objects of a {@link Message} (the record, its id, strings, an {@code Instant}, index entries): on one
 * core the young collections of a server taking a thousand messages a second were spent copying those
 * objects. A record is one object; a {@link Message} is made from it when one is read.
 *
 * <p>Layout: seq (8 bytes), sent-at seconds (8) and nanos (4), flags (1), then the id, author id, author
 * name and body as UTF-8 strings (a varint length, then the bytes), then what the flags say is there: when
 * it was edited (12), its attachment URL, the preview of the message it answers (id, author, name, excerpt,
 * a deleted byte), the users it mentions (a varint count, then each id). The message's room is the room
 * whose log holds it; its reactions are kept beside it and are not part of a record.
 */
final class MessageRecord {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int SEQ = 0;
    private static final int SENT_SECONDS = 8;
    private static final int SENT_NANOS = 16;
    private static final int FLAGS = 20;
    /** Where the id's length starts: every record has the same header before it. */
    private static final int ID = 21;
    private static final int DELETED = 1;
    private static final int EDITED = 1 << 1;
    private static final int ATTACHMENT = 1 << 2;
    private static final int REPLY = 1 << 3;
    private static final int MENTIONS = 1 << 4;

    private MessageRecord() {
    }

    /**
     * @param message a message without counted reactions (a store keeps those beside it)
     * @return its record
     */
    static byte[] of(Message message) {
        if (!message.reactions().isEmpty()) {
            throw new IllegalArgumentException("reactions are stored beside a message, not in its record");
        }
        Out out = new Out(64 + message.body().length());
        out.fixed(message.seq(), message.sentAt(), flags(message));
        out.string(message.id().value());
        out.string(message.author().value());
        out.string(message.authorName());
        out.string(message.body());
        message.editedAt().ifPresent(out::instant);
        message.attachmentUrl().ifPresent(out::string);
        message.replyTo().ifPresent(reply -> {
            out.string(reply.id().value());
            out.string(reply.author().value());
            out.string(reply.authorName());
            out.string(reply.excerpt());
            out.write(reply.deleted() ? 1 : 0);
        });
        if (!message.mentions().isEmpty()) {
            out.varint(message.mentions().size());
            message.mentions().forEach(user -> out.string(user.value()));
        }
        return out.toByteArray();
    }

    /**
     * @param record the bytes {@link #of} made
     * @param room   the room whose log holds it
     * @return the message it holds
     */
    static Message message(byte[] record, RoomId room) {
        int flags = record[FLAGS];
        In in = new In(record, ID);
        MessageId id = MessageId.of(in.string());
        UserId author = UserId.of(in.string());
        String authorName = in.string();
        String body = in.string();
        Optional<Instant> editedAt = (flags & EDITED) != 0 ? Optional.of(in.instant()) : Optional.empty();
        Optional<String> attachment = (flags & ATTACHMENT) != 0 ? Optional.of(in.string()) : Optional.empty();
        Optional<ReplyPreview> reply = Optional.empty();
        if ((flags & REPLY) != 0) {
            reply = Optional.of(new ReplyPreview(MessageId.of(in.string()), UserId.of(in.string()), in.string(),
                    in.string(), in.read() != 0));
        }
        List<UserId> mentions = List.of();
        if ((flags & MENTIONS) != 0) {
            int count = in.varint();
            List<UserId> users = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                users.add(UserId.of(in.string()));
            }
            mentions = users;
        }
        return new Message(id, room, seq(record), author, authorName, body, attachment, sentAt(record), editedAt,
                (flags & DELETED) != 0, reply, mentions, List.of());
    }

    /** @return the seq of the message a record holds, read without making the message */
    static long seq(byte[] record) {
        return (long) LONG.get(record, SEQ);
    }

    /** @return when the message a record holds was posted, read without making the message */
    static Instant sentAt(byte[] record) {
        return Instant.ofEpochSecond((long) LONG.get(record, SENT_SECONDS), (int) INT.get(record, SENT_NANOS));
    }

    /** @return whether a record holds the message with this id (its UTF-8 bytes), read without making it */
    static boolean hasId(byte[] record, byte[] utf8Id) {
        return new In(record, ID).nextEquals(utf8Id);
    }

    /**
     * Whether the message a record holds is unread by a reader past its marker: not deleted and not the
     * reader's own, and, if {@code mentioned}, mentioning the reader. Read without making the message.
     *
     * @param record    a record
     * @param readerId  the reader's id as UTF-8
     * @param mentioned whether the message must also mention the reader
     */
    static boolean unreadBy(byte[] record, byte[] readerId, boolean mentioned) {
        int flags = record[FLAGS];
        if ((flags & DELETED) != 0 || mentioned && (flags & MENTIONS) == 0) {
            return false;
        }
        In in = new In(record, ID);
        in.skipString(); // id
        if (in.nextEquals(readerId)) { // author
            return false;
        }
        if (!mentioned) {
            return true;
        }
        in.skipString(); // author name
        in.skipString(); // body
        in.at += (flags & EDITED) != 0 ? 12 : 0;
        if ((flags & ATTACHMENT) != 0) {
            in.skipString();
        }
        if ((flags & REPLY) != 0) {
            for (int i = 0; i < 4; i++) {
                in.skipString();
            }
            in.at++; // the parent's deleted byte
        }
        for (int count = in.varint(); count > 0; count--) {
            if (in.nextEquals(readerId)) {
                return true;
            }
        }
        return false;
    }

    /** @return {@link RoomMessages#hash} of the id's UTF-8 bytes in a record, read without making the id */
    static int idHash(byte[] record) {
        In in = new In(record, ID);
        int length = in.varint();
        return RoomMessages.hash(record, in.at, in.at + length);
    }

    private static int flags(Message message) {
        int flags = message.deleted() ? DELETED : 0;
        flags |= message.editedAt().isPresent() ? EDITED : 0;
        flags |= message.attachmentUrl().isPresent() ? ATTACHMENT : 0;
        flags |= message.replyTo().isPresent() ? REPLY : 0;
        flags |= message.mentions().isEmpty() ? 0 : MENTIONS;
        return flags;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void fixed(long seq, Instant sentAt, int flags) {
            byte[] header = new byte[ID];
            LONG.set(header, SEQ, seq);
            LONG.set(header, SENT_SECONDS, sentAt.getEpochSecond());
            INT.set(header, SENT_NANOS, sentAt.getNano());
            header[FLAGS] = (byte) flags;
            writeBytes(header);
        }

        void instant(Instant at) {
            byte[] bytes = new byte[12];
            LONG.set(bytes, 0, at.getEpochSecond());
            INT.set(bytes, 8, at.getNano());
            writeBytes(bytes);
        }

        void string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            writeBytes(bytes);
        }

        void varint(int value) {
            int rest = value;
            while ((rest & ~0x7F) != 0) {
                write((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            write(rest);
        }
    }

    private static final class In {
        private final byte[] record;
        private int at;

        In(byte[] record, int at) {
            this.record = record;
            this.at = at;
        }

        int read() {
            return record[at++] & 0xFF;
        }

        int varint() {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                int b = read();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }

        void skipString() {
            int length = varint();
            at += length;
        }

        /** Reads the next string and answers whether its bytes are {@code utf8}. */
        boolean nextEquals(byte[] utf8) {
            int length = varint();
            boolean equal = length == utf8.length && Arrays.equals(record, at, at + length, utf8, 0, length);
            at += length;
            return equal;
        }

        String string() {
            int length = varint();
            String value = new String(record, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        Instant instant() {
            Instant value = Instant.ofEpochSecond((long) LONG.get(record, at), (int) INT.get(record, at + 8));
            at += 12;
            return value;
        }
    }
}
