package io.parley.engine.resumable;

import io.parley.application.port.out.Signal;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What fan-out listeners leave for one reader, bounded whatever the reader's pace: durable events are kept
 * only as a hint (a few per room, for the fast path; the store has them all), ephemeral ones up to a cap,
 * oldest dropped first. Listeners call {@link #offer} from broker threads and never block; the reader
 * {@link #await}s and {@link #drain}s.
 */
final class Mailbox {
    private static final int EVENTS_PER_ROOM = 64;
    private static final int EPHEMERAL = 256;

    private final UserId user;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Pending pending = new Pending();
    /** The one the reader had last: cleared and filled next, so that a drain allocates nothing. */
    private Pending spare = new Pending();
    private boolean woken;
    /** While a reader waits: the {@link System#nanoTime()} it waits until, for {@link Deadlines}. */
    private volatile long deadline;
    private volatile boolean waiting;

    Mailbox(UserId user) {
        this.user = user;
    }

    /**
     * What arrived since the last drain. Its collections are reused from drain to drain: the reader uses
     * what it drained until its next drain only.
     */
    static final class Pending {
        /**
         * Per room that moved, the durable events signalled, once more than one was since the last drain
         * (else the one is {@link #lone} and this is empty): a {@link RoomEvent} for a room with one, a
         * {@code List<RoomEvent>} of up to {@value Mailbox#EVENTS_PER_ROOM} in arrival order for a room with
         * more.
         */
        final Map<RoomId, Object> events = new HashMap<>();
        /**
         * The durable event signalled when it is the only one since the last drain (nearly always: one
         * event of one room), kept here instead of in {@link #events}, which is then empty: no hash of its
         * room on the fan-out's thread, no map entry.
         */
        private RoomEvent lone;
        final List<RoomEvent.MemberJoined> joined = new ArrayList<>();
        final ArrayDeque<Signal> ephemeral = new ArrayDeque<>();
        boolean recordChanged;
        boolean resync;

        boolean isEmpty() {
            return lone == null && events.isEmpty() && joined.isEmpty() && ephemeral.isEmpty() && !recordChanged
                    && !resync;
        }

        /** @return the rooms that moved */
        Set<RoomId> rooms() {
            return lone != null ? Set.of(lone.room()) : events.keySet();
        }

        /**
         * @return the one durable event signalled, when nothing else arrived (no other event, no join of
         *         the reader's user, no typing or presence, no change of the record); null otherwise
         */
        RoomEvent onlyEvent() {
            return lone != null && joined.isEmpty() && ephemeral.isEmpty() && !recordChanged && !resync
                    ? lone : null;
        }

        /**
         * @param room a room that moved
         * @return the durable events signalled for it, in arrival order
         */
        @SuppressWarnings("unchecked")
        List<RoomEvent> events(RoomId room) {
            if (lone != null) {
                return lone.room().equals(room) ? List.of(lone) : List.of();
            }
            Object signalled = events.get(room);
            return signalled instanceof RoomEvent one ? List.of(one)
                    : signalled == null ? List.of() : (List<RoomEvent>) signalled;
        }

        @SuppressWarnings("unchecked")
        private void add(RoomEvent event) {
            if (lone == null && events.isEmpty()) {
                lone = event;
                return;
            }
            if (lone != null) {
                events.put(lone.room(), lone);
                lone = null;
            }
            Object signalled = events.putIfAbsent(event.room(), event);
            if (signalled instanceof RoomEvent one) {
                List<RoomEvent> several = new ArrayList<>();
                several.add(one);
                several.add(event);
                events.put(event.room(), several);
            } else if (signalled != null && ((List<RoomEvent>) signalled).size() < EVENTS_PER_ROOM) {
                ((List<RoomEvent>) signalled).add(event);
            }
        }

        private void clear() {
            lone = null;
            events.clear();
            joined.clear();
            ephemeral.clear();
            recordChanged = false;
            resync = false;
        }
    }

    private static final Pending NOTHING = new Pending();

    /** A signal from a room topic, the user's topic or the session's topic. */
    void offer(Signal signal) {
        lock.lock();
        try {
            switch (signal) {
                case Signal.Durable(RoomEvent.MemberJoined joined) when joined.user().equals(user) -> {
                    pending.joined.add(joined);
                    room(joined);
                }
                case Signal.Durable durable -> room(durable.event());
                case Signal.TypingChanged typing -> ephemeral(signal);
                case Signal.PresenceChanged presence -> ephemeral(signal);
                case Signal.SessionUpdated updated -> pending.recordChanged = true;
                case Signal.Resync resync -> pending.resync = true;
                case Signal.SessionsEnded ended -> {
                    // published on the nodes' topic only; the hub ends the sessions
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the session record as changed (the reader re-reads it). */
    void recordChanged() {
        lock.lock();
        try {
            pending.recordChanged = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a waiting reader without anything to deliver (shutdown, heartbeat). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until something arrived, {@link #wake} was called, or the deadline passed. The wait itself has
     * no timeout: {@link Deadlines} wakes it once the deadline has passed (at most one tick late).
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     */
    void await(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (pending.isEmpty() && !woken) {
                if (deadlineNanos - System.nanoTime() <= 0) {
                    return;
                }
                deadline = deadlineNanos;
                waiting = true;
                changed.await();
            }
        } finally {
            waiting = false;
            woken = false;
            lock.unlock();
        }
    }

    /** @return whether a reader waits here and its deadline has passed */
    boolean due(long nowNanos) {
        return waiting && nowNanos - deadline >= 0;
    }

    /**
     * @return everything that arrived since the last drain; valid until the next drain (it is then reused)
     */
    Pending drain() {
        lock.lock();
        try {
            if (pending.isEmpty()) {
                return NOTHING;
            }
            Pending drained = pending;
            spare.clear();
            pending = spare;
            spare = drained;
            return drained;
        } finally {
            lock.unlock();
        }
    }

    private void room(RoomEvent event) {
        pending.add(event);
    }

    private void ephemeral(Signal signal) {
        if (pending.ephemeral.size() >= EPHEMERAL) {
            pending.ephemeral.pollFirst();
        }
        pending.ephemeral.addLast(signal);
    }
}
