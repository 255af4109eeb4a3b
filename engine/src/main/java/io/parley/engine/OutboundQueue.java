package io.parley.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's bounded outbound queue, drained by the session's own writer. When full, ephemeral frames
 * (typing, presence, pings) are dropped first; when only durable frames remain, the offer reports an
 * overflow and the session is closed as a slow consumer.
 */
final class OutboundQueue {
    /** What the writer does next. */
    sealed interface Item {
    }

    /** @param frame a frame to write */
    record Write(Frame frame) implements Item {
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
        ACCEPTED,
        DROPPED,
        OVERFLOW,
        CLOSED
    }

    private static final Ping PING = new Ping();

    private final ReentrantLock lock = new ReentrantLock();
    /** The writer while it waits for an item; woken directly, without a condition queue. */
    private Thread waiting;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private final int capacity;
    private int ephemeral;
    private Item last;

    OutboundQueue(int capacity) {
        this.capacity = capacity;
    }

    Offer offer(Frame frame) {
        return offer(new Write(frame), frame.ephemeral());
    }

    Offer offerPing() {
        return offer(PING, true);
    }

    private Offer offer(Item item, boolean isEphemeral) {
        Thread waiter;
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
            items.addLast(item);
            if (isEphemeral) {
                ephemeral++;
            }
            waiter = waiting;
            waiting = null;
        } finally {
            lock.unlock();
        }
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
        return Offer.ACCEPTED;
    }

    /**
     * Ends the queue: the writer takes what is queued (when {@code flush}) and then {@code finalItem}.
     */
    void finish(Item finalItem, boolean flush) {
        Thread waiter;
        lock.lock();
        try {
            if (last != null) {
                return;
            }
            if (!flush) {
                items.clear();
            }
            last = finalItem;
            waiter = waiting;
            waiting = null;
        } finally {
            lock.unlock();
        }
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Takes the next item, waiting while there is none; one writer thread calls it. */
    Item take() throws InterruptedException {
        lock.lock();
        try {
            while (items.isEmpty() && last == null) {
                waiting = Thread.currentThread();
                lock.unlock();
                try {
                    LockSupport.park(this);
                } finally {
                    lock.lock();
                }
                if (Thread.interrupted()) {
                    waiting = null;
                    throw new InterruptedException();
                }
            }
            Item item = items.pollFirst();
            if (item == null) {
                return last;
            }
            if (isEphemeral(item)) {
                ephemeral--;
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the frames queued next, up to the first item that is not a frame, into {@code batch} without
     * waiting, while their bytes (with up to 10 bytes of transport framing each) stay within
     * {@code maxBytes}: what the writer can put in one socket write.
     *
     * @param batch    where the frames go
     * @param maxBytes the most payload bytes to take
     */
    void takeFrames(List<Frame> batch, int maxBytes) {
        lock.lock();
        try {
            int bytes = 0;
            while (items.peekFirst() instanceof Write write) {
                bytes += write.frame().utf8().length + 10;
                if (bytes > maxBytes) {
                    return;
                }
                items.pollFirst();
                if (write.frame().ephemeral()) {
                    ephemeral--;
                }
                batch.add(write.frame());
            }
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

    Optional<Item> finalItem() {
        lock.lock();
        try {
            return Optional.ofNullable(last);
        } finally {
            lock.unlock();
        }
    }

    private static boolean isEphemeral(Item item) {
        return item instanceof Ping || item instanceof Write write && write.frame().ephemeral();
    }
}
