package io.parley.adapters.persistence.memory;

import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A room's messages in their current state, by seq and by id, each held as one {@link MessageRecord}.
 *
 * <p>Messages only ever arrive with a higher seq than the last, so the records are one list in seq order and
 * a seq is found by binary search. The id index is an open-addressing table of positions in that list (an
 * {@code int} array, no entry per message), probed by a hash of the id's UTF-8 bytes and confirmed against
 * the record. Per message the room holds one byte array and a list slot; a {@link Message} is made when one
 * is read. That is what keeps a busy in-memory room out of the young collections' copying (see
 * docs/benchmarks.md, "The in-memory store's messages, smaller").
 */
final class RoomMessages {
    private final RoomId room;
    private final ArrayList<byte[]> bySeq = new ArrayList<>();
    /** Position in {@link #bySeq} plus one, 0 for a free slot; its length a power of two, at most half full. */
    private int[] byId = new int[16];

    /** @param room the room whose messages these are (each message read back names it) */
    RoomMessages(RoomId room) {
        this.room = room;
    }

    boolean contains(MessageId id) {
        return byId[slot(utf8(id))] != 0;
    }

    /**
     * Adds a message newer than every one held.
     *
     * @return its record, to be shared by the room's log
     */
    byte[] add(Message message) {
        if (!bySeq.isEmpty() && MessageRecord.seq(bySeq.getLast()) >= message.seq()) {
            throw new IllegalArgumentException("seq " + message.seq() + " is not after "
                    + MessageRecord.seq(bySeq.getLast()));
        }
        byte[] id = utf8(message.id());
        int slot = slot(id);
        if (byId[slot] != 0) {
            throw new IllegalArgumentException("message id " + message.id() + " is taken");
        }
        byte[] record = MessageRecord.of(message);
        bySeq.add(record);
        byId[slot] = bySeq.size();
        if (bySeq.size() * 2 > byId.length) {
            rehash(byId.length * 2);
        }
        return record;
    }

    /** Replaces the message that has the same seq (an edit, a tombstone); its id stays. */
    void replace(Message message) {
        int at = firstAtLeast(message.seq());
        if (at == bySeq.size() || MessageRecord.seq(bySeq.get(at)) != message.seq()) {
            throw new IllegalArgumentException("no message with seq " + message.seq());
        }
        if (!MessageRecord.hasId(bySeq.get(at), utf8(message.id()))) {
            throw new IllegalArgumentException("seq " + message.seq() + " holds another message than " + message.id());
        }
        bySeq.set(at, MessageRecord.of(message));
    }

    /** @return the message with this id as it is now, or null */
    Message get(MessageId id) {
        int position = byId[slot(utf8(id))];
        return position == 0 ? null : MessageRecord.message(bySeq.get(position - 1), room);
    }

    /** @return the messages with a seq above {@code seq}, oldest first (a view, each made when read) */
    List<Message> after(long seq) {
        return new Messages(bySeq.subList(firstAbove(seq), bySeq.size()));
    }

    /** @return the messages with a seq below {@code seq}, newest first (a view, each made when read) */
    List<Message> before(long seq) {
        return new Messages(bySeq.subList(0, firstAtLeast(seq)).reversed());
    }

    /**
     * Counts a reader's unread messages after a seq, reading the records without making messages (a room
     * list asks this of every room, up to the cap each).
     *
     * @param seq       the reader's read marker
     * @param reader    who reads
     * @param mentioned count only the messages that mention the reader
     * @param cap       the most to count
     * @return the messages after {@code seq}, neither deleted nor the reader's own (and mentioning them), at
     *         most {@code cap}
     */
    long unreadAfter(long seq, UserId reader, boolean mentioned, int cap) {
        byte[] user = reader.value().getBytes(StandardCharsets.UTF_8);
        long count = 0;
        for (int i = firstAbove(seq); i < bySeq.size() && count < cap; i++) {
            if (MessageRecord.unreadBy(bySeq.get(i), user, mentioned)) {
                count++;
            }
        }
        return count;
    }

    /** @return every message, oldest first (a view, each made when read) */
    List<Message> all() {
        return new Messages(bySeq);
    }

    void clear() {
        bySeq.clear();
        byId = new int[16];
    }

    private int slot(byte[] utf8Id) {
        int mask = byId.length - 1;
        for (int slot = hash(utf8Id, 0, utf8Id.length) & mask; ; slot = (slot + 1) & mask) {
            int position = byId[slot];
            if (position == 0 || MessageRecord.hasId(bySeq.get(position - 1), utf8Id)) {
                return slot;
            }
        }
    }

    private void rehash(int size) {
        int[] table = new int[size];
        int mask = size - 1;
        for (int position = 1; position <= bySeq.size(); position++) {
            int slot = MessageRecord.idHash(bySeq.get(position - 1)) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = position;
        }
        byId = table;
    }

    /**
     * The hash of an id's UTF-8 bytes ({@link MessageRecord#idHash} gives the same for the bytes in a record),
     * spread so that ids that differ in their last characters (a counter) do not fill neighbouring slots.
     * Message ids are made by the server's {@code IdGenerator}, not chosen by clients, so the table needs no
     * defence against ids picked to collide; a client's id only ever probes it (a reply's parent).
     */
    static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static byte[] utf8(MessageId id) {
        return id.value().getBytes(StandardCharsets.UTF_8);
    }

    private int firstAtLeast(long seq) {
        return seq == Long.MIN_VALUE ? 0 : firstAbove(seq - 1);
    }

    /** @return the index of the first record whose seq is above {@code seq} */
    private int firstAbove(long seq) {
        int low = 0;
        int high = bySeq.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (MessageRecord.seq(bySeq.get(mid)) <= seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Records seen as messages, each made when it is read. */
    private final class Messages extends AbstractList<Message> implements RandomAccess {
        private final List<byte[]> records;

        Messages(List<byte[]> records) {
            this.records = records;
        }

        @Override
        public Message get(int index) {
            return MessageRecord.message(records.get(index), room);
        }

        @Override
        public int size() {
            return records.size();
        }
    }
}
