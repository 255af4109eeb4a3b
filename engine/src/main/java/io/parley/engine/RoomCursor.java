package io.parley.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one reader is in one room, and the events that arrived ahead of it: the rule that makes delivery
 * exactly once and in seq order, whatever order and however often events arrive (live fan-out, a replay, a
 * gap read from the store, a hint). Pure and not thread-safe: the owner (a live session under its lock, a
 * resumable session's reader on its one thread) guards it. Transport-neutral, so every kind of session
 * orders events by the same code.
 *
 * <p>An event at or below the position is a duplicate and is dropped; the next one can go out now; one
 * further on waits until the events between are known (the owner reads them from the store, outside any
 * lock, and offers them here). {@link #ready} hands out the run that continues the position.
 *
 * @param <T> what is kept per event (a live session keeps its encoded frame)
 */
public final class RoomCursor<T> {
    /**
     * The one event that waits, when only one does (the common case: a signal read on the next drain):
     * kept in two fields, so that waiting and handing out a lone event allocates no map. {@code lone} is
     * null when none waits this way.
     */
    private T lone;
    private long loneSeq;
    /**
     * The events that wait when more than one does, by seq; null otherwise, which is nearly always: a
     * subscription in step with its room holds no map, and the fast path reads no other object.
     */
    private TreeMap<Long, T> ahead;
    private long position;

    /** What became of an offered event. */
    public enum Arrival {
        /** At or below the position, or already waiting: dropped. */
        DUPLICATE,
        /** The next one: {@link #ready} returns it. */
        NEXT,
        /** Events before it are missing: it waits for them. */
        AHEAD
    }

    /** @param position the last seq the reader has (0 before the room's first event) */
    public RoomCursor(long position) {
        this.position = position;
    }

    /** @return the last seq handed out */
    public long position() {
        return position;
    }

    /**
     * Offers an event; it is kept until {@link #ready} hands it out (or forever dropped as a duplicate).
     *
     * @param seq  its seq in the room
     * @param item what to hand out for it
     * @return whether it is a duplicate, the next one, or ahead of a gap
     */
    public Arrival offer(long seq, T item) {
        if (seq <= position) {
            return Arrival.DUPLICATE;
        }
        if (ahead == null) {
            if (lone == null) {
                lone = item;
                loneSeq = seq;
                return seq == position + 1 ? Arrival.NEXT : Arrival.AHEAD;
            }
            if (loneSeq == seq) {
                return Arrival.DUPLICATE;
            }
            ahead = new TreeMap<>();
            ahead.put(loneSeq, lone);
            lone = null;
        }
        if (ahead.putIfAbsent(seq, item) != null) {
            return Arrival.DUPLICATE;
        }
        return seq == position + 1 ? Arrival.NEXT : Arrival.AHEAD;
    }

    /**
     * The common case without bookkeeping: when nothing waits and {@code seq} is the next one, moves the
     * position to it, and the caller hands the event out itself (as if {@link #offer} and {@link #ready}
     * had been called).
     *
     * @param seq an arriving event's seq
     * @return whether the position moved to {@code seq}; if not, {@link #offer} it
     */
    public boolean advanceIfNext(long seq) {
        if (seq == position + 1 && ahead == null && lone == null) {
            position = seq;
            return true;
        }
        return false;
    }

    /**
     * Hands out the run of events that continues the position, in seq order, and moves the position to
     * the last of them.
     *
     * @param max the most to hand out
     * @return the run; empty when the next event is missing (or nothing waits)
     */
    public List<T> ready(int max) {
        if (lone != null) {
            if (loneSeq != position + 1 || max < 1) {
                return List.of();
            }
            T item = lone;
            lone = null;
            position = loneSeq;
            return List.of(item);
        }
        if (ahead == null) {
            return List.of();
        }
        List<T> run = new ArrayList<>();
        while (run.size() < max && !ahead.isEmpty() && ahead.firstKey() == position + 1) {
            Map.Entry<Long, T> next = ahead.pollFirstEntry();
            run.add(next.getValue());
            position = next.getKey();
        }
        if (ahead.isEmpty()) {
            ahead = null;
        }
        return run;
    }

    /** @return whether events wait (behind a gap, or not yet taken by {@link #ready}) */
    public boolean waiting() {
        return lone != null || ahead != null;
    }

    /** @return how many events wait */
    public int waitingCount() {
        return lone != null ? 1 : ahead == null ? 0 : ahead.size();
    }

    /** @return how many events are missing before the first one that waits (0 when it is the next one) */
    public long gap() {
        return lone != null ? loneSeq - position - 1 : ahead == null ? 0 : ahead.firstKey() - position - 1;
    }

    /**
     * Moves the position on, dropping what waits at or below it: the reader already has those events
     * (a replay it was sent), or the store has none before {@code seq} and waiting for them is pointless.
     *
     * @param seq the new position; ignored when not beyond the current one
     */
    public void skipTo(long seq) {
        if (seq > position) {
            position = seq;
            if (lone != null && loneSeq <= seq) {
                lone = null;
            }
            if (ahead != null) {
                ahead.headMap(seq, true).clear();
                if (ahead.isEmpty()) {
                    ahead = null;
                }
            }
        }
    }

    /** Forgets every waiting event; the position stays. */
    public void clear() {
        lone = null;
        ahead = null;
    }
}
