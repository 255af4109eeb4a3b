package io.parley.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's bounded outbound queue and the right to write to its connection. At most one thread writes at
 * a time: the one holding the <em>write claim</em>. There is no writer thread per session:
 * <ul>
 *     <li>a frame offered while nobody writes, nothing is queued and the transport can take it without
 *     blocking is written by the offering thread itself, right after it lets go of its locks
 *     ({@link Offer#WRITE_NOW}): no thread wake-up for the common delivery;</li>
 *     <li>otherwise the frame is queued and, if nobody writes, a drain is started on the session's executor
 *     ({@link Offer#START_DRAIN}); the drain writes everything queued meanwhile in batches and ends when
 *     the queue is empty. A slow connection therefore blocks only its own drain.</li>
 * </ul>
 * When full, ephemeral frames (typing, presence, pings) are dropped first; when only durable frames remain,
 * the offer reports an overflow and the session is closed as a slow consumer.
 */
final class OutboundQueue {
    /** What the writer does next. */
    sealed interface Item {
    }

    /** Write the frames {@link #next} moved into the batch. */
    record Write() implements Item {
    }

    /** A protocol ping. */
    record Ping() implements Item {
    }

    /** @param reason close the connection with this reason */
    record Close(CloseReason reason) implements Item {
    }

    /** The connection is gone; stop. */
    record Stop() implements Item {
    }

    /** The result of an offer. */
    enum Offer {
        /** Queued; someone is already writing and takes it in turn. */
        ACCEPTED,
        /** Queued, and the caller now holds the write claim: it writes after releasing its own locks. */
        WRITE_NOW,
        /** Queued, and the caller must start a drain (nobody writes and the item cannot go inline). */
        START_DRAIN,
        /** Not queued: the queue is full and the item is ephemeral. */
        DROPPED,
        /** Not queued: the queue is full of durable frames; the session must close as a slow consumer. */
        OVERFLOW,
        /** Not queued: the queue has ended. */
        CLOSED
    }

    private static final Ping PING = new Ping();
    private static final Write WRITE = new Write();

    private final ReentrantLock lock = new ReentrantLock();
    /**
     * {@link Frame}s, queued as they are (no wrapper per recipient), and the other {@link Item}s. Sized for
     * an idle connection (most hold nothing between writes); it grows when a backlog builds.
     */
    private final ArrayDeque<Object> items = new ArrayDeque<>(2);
    private final int capacity;
    private int ephemeral;
    /** The final item, once the queue has ended. */
    private Item last;
    private boolean lastTaken;
    /** Someone holds the write claim: an inline writer or a drain. */
    private boolean writing;

    OutboundQueue(int capacity) {
        this.capacity = capacity;
    }

    Offer offer(Frame frame) {
        return offer(frame, 0);
    }

    /**
     * Queues a frame.
     *
     * @param frame       the frame
     * @param inlineBytes how many bytes the transport can take now without blocking; 0 when the caller must
     *                    not write itself (a platform thread, a transport that cannot tell)
     * @return what the caller does next
     */
    Offer offer(Frame frame, int inlineBytes) {
        return offer(frame, frame.ephemeral(), inlineBytes >= frame.utf8().length + 10);
    }

    Offer offerPing() {
        return offer(PING, true, false);
    }

    private Offer offer(Object item, boolean isEphemeral, boolean inline) {
        lock.lock();
        try {
            if (last != null) {
                return Offer.CLOSED;
            }
            if (items.size() >= capacity) {
                if (isEphemeral) {
                    return Offer.DROPPED;
                }
                if (ephemeral == 0) {
                    return Offer.OVERFLOW;
                }
                items.removeIf(OutboundQueue::isEphemeral);
                ephemeral = 0;
            }
            boolean nothingAhead = items.isEmpty();
            items.addLast(item);
            if (isEphemeral) {
                ephemeral++;
            }
            if (writing) {
                return Offer.ACCEPTED;
            }
            writing = true;
            return inline && nothingAhead ? Offer.WRITE_NOW : Offer.START_DRAIN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the queue: what is queued (when {@code flush}) and then {@code finalItem} are written by whoever
     * holds the write claim.
     *
     * @return whether the caller must start a drain to write them (nobody writes now)
     */
    boolean finish(Item finalItem, boolean flush) {
        lock.lock();
        try {
            if (last != null) {
                return false;
            }
            if (!flush) {
                items.clear();
                ephemeral = 0;
            }
            last = finalItem;
            if (writing) {
                return false;
            }
            writing = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the holder of the write claim: the next item to write. Frames queued next, up to the first item
     * that is not a frame, are moved into {@code batch} while their bytes (with up to 10 bytes of transport
     * framing each) stay within {@code maxBytes}, and a {@link Write} is returned; at least one frame is
     * taken whatever its size. Returns the final item once, after everything queued; returns
     * {@code null} and gives up the claim when there is nothing left.
     *
     * @param batch    where the frames go
     * @param maxBytes the most payload bytes to take
     */
    Item next(List<Frame> batch, int maxBytes) {
        lock.lock();
        try {
            Object head = items.peekFirst();
            if (head == null) {
                if (last != null && !lastTaken) {
                    lastTaken = true;
                    return last;
                }
                writing = false;
                return null;
            }
            if (head instanceof Item control) {
                items.pollFirst();
                if (control instanceof Ping) {
                    ephemeral--;
                }
                return control;
            }
            int bytes = 0;
            while (items.peekFirst() instanceof Frame frame) {
                bytes += frame.utf8().length + 10;
                if (bytes > maxBytes && !batch.isEmpty()) {
                    break;
                }
                items.pollFirst();
                if (frame.ephemeral()) {
                    ephemeral--;
                }
                batch.add(frame);
            }
            return WRITE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For an inline writer after its one batch: gives up the claim if nothing is left, or keeps it for a
     * drain the caller must start.
     *
     * @return whether the caller must start a drain for what was queued meanwhile
     */
    boolean handOver() {
        lock.lock();
        try {
            if (items.isEmpty() && (last == null || lastTaken)) {
                writing = false;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    private static boolean isEphemeral(Object item) {
        return item instanceof Ping || item instanceof Frame frame && frame.ephemeral();
    }
}
