package io.parley.engine.resumable;

import io.parley.application.port.out.UsageCounters;
import io.parley.domain.UserId;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This node's open streams and waiting polls: the per-user stream limit, the watchdog that drops a stream
 * whose write has been blocked for two heartbeats (a peer that stopped reading), and shutdown, which asks
 * every stream to say goodbye and every poll to answer now.
 */
final class Readers {
    private final int maxStreamsPerUser;
    private final long stallNanos;
    private final UsageCounters counters;
    private final Supplier<String> ids;
    final Set<ReaderSlot> open = ConcurrentHashMap.newKeySet();
    volatile boolean closing;

    /**
     * @param maxStreamsPerUser open streams per user, counted in {@code counters} (all nodes together when shared)
     * @param heartbeat         the heartbeat interval: a write blocked for two is a stalled peer
     * @param counters          where open streams are counted
     * @param ids               unique ids, one per stream
     */
    Readers(int maxStreamsPerUser, Duration heartbeat, UsageCounters counters, Supplier<String> ids) {
        this.maxStreamsPerUser = maxStreamsPerUser;
        this.stallNanos = heartbeat.multipliedBy(2).toNanos();
        this.counters = counters;
        this.ids = ids;
    }

    /** @return a slot for an SSE stream of this user, empty when the user has too many open */
    Optional<ReaderSlot> openStream(UserId user) {
        String id = ids.get();
        if (!counters.hold(streamsKey(user), id, maxStreamsPerUser)) {
            return Optional.empty();
        }
        return Optional.of(register(new ReaderSlot(this, user, id)));
    }

    /** @return a slot for a waiting poll (polls are not limited: they end by themselves) */
    ReaderSlot openPoll() {
        return register(new ReaderSlot(this, null, null));
    }

    /** @return whether the node is shutting down */
    boolean closing() {
        return closing;
    }

    /** Drops streams whose current write has been blocked for two heartbeats. */
    void watch() {
        long now = System.nanoTime();
        for (ReaderSlot slot : open) {
            long started = slot.writeStarted();
            Thread writer = slot.writer();
            if (started != 0 && now - started > stallNanos && writer != null) {
                // Socket I/O of a virtual thread is interruptible: the socket is closed and the write fails.
                writer.interrupt();
            }
        }
    }

    /**
     * Asks every stream to send its goodbye and every poll to answer, and waits up to {@code timeout} for
     * them to finish.
     */
    void shutdown(Duration timeout) {
        closing = true;
        open.forEach(ReaderSlot::wake);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Ends every stream and poll of a user on this node with {@code reason}; with {@code revokedBefore}, those
     * whose token was issued before it.
     */
    void end(UserId user, io.parley.engine.CloseReason reason, Optional<java.time.Instant> revokedBefore) {
        open.forEach(slot -> slot.end(user, reason, revokedBefore));
    }

    /** @return how many streams and polls are open on this node */
    int size() {
        return open.size();
    }

    private ReaderSlot register(ReaderSlot slot) {
        open.add(slot);
        if (closing) {
            slot.wake();
        }
        return slot;
    }

    void release(UserId user, String id) {
        counters.release(streamsKey(user), id);
    }

    private static String streamsKey(UserId user) {
        return "sse:" + user.value();
    }
}
