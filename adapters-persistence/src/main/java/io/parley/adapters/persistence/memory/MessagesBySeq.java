package io.parley.adapters.persistence.memory;

import io.parley.domain.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * A room's messages in their current state, in seq order, in one array. Messages are only ever added with a
 * higher seq than the last, so the list stays sorted and a seq is found by binary search. Beside a
 * {@code TreeMap<Long, Message>} it holds no entry and no boxed key per message, and adding one writes a single
 * array slot instead of rebalancing old tree nodes: less for the collector to copy and to scan while a room
 * takes a thousand messages a second.
 */
final class MessagesBySeq {
    private final ArrayList<Message> bySeq = new ArrayList<>();

    /** Adds a message newer than every one held. */
    void add(Message message) {
        if (!bySeq.isEmpty() && bySeq.getLast().seq() >= message.seq()) {
            throw new IllegalArgumentException("seq " + message.seq() + " is not after " + bySeq.getLast().seq());
        }
        bySeq.add(message);
    }

    /** Replaces the message that has the same seq (an edit, a tombstone). */
    void replace(Message message) {
        int at = indexOf(message.seq());
        if (at < 0) {
            throw new IllegalArgumentException("no message with seq " + message.seq());
        }
        bySeq.set(at, message);
    }

    /** @return the messages with a seq above {@code seq}, oldest first (a view) */
    List<Message> after(long seq) {
        return bySeq.subList(firstAbove(seq), bySeq.size());
    }

    /** @return the messages with a seq below {@code seq}, newest first (a view) */
    List<Message> before(long seq) {
        return bySeq.subList(0, firstAtLeast(seq)).reversed();
    }

    /** @return every message, oldest first (a view) */
    List<Message> all() {
        return bySeq;
    }

    void clear() {
        bySeq.clear();
    }

    private int indexOf(long seq) {
        int at = firstAtLeast(seq);
        return at < bySeq.size() && bySeq.get(at).seq() == seq ? at : -1;
    }

    private int firstAtLeast(long seq) {
        return seq == Long.MIN_VALUE ? 0 : firstAbove(seq - 1);
    }

    /** @return the index of the first message whose seq is above {@code seq} */
    private int firstAbove(long seq) {
        int low = 0;
        int high = bySeq.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (bySeq.get(mid).seq() <= seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
