package io.parley.engine;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One room's events as this node receives them, put back in seq order and delivered to the room's local
 * sessions. The fan-out may reorder events of concurrent publishers or lose some (a broker outage): the
 * feed holds early events back, waits {@link SessionSettings#gapGrace()} for the missing ones, then reads
 * what is still missing from the store, on a worker so that a slow store holds up only the events that
 * must wait for it. Each event is encoded once for all sessions. All state is touched on the feed's own
 * serial executor only.
 *
 * <p>Events are handed to the sessions in batches: each turn of the serial path takes every signal that
 * arrived meanwhile (up to {@value #MAX_BATCH}), then gives each subscriber all of them in order before it
 * writes ({@link ChatSession#flush()}). While the feed keeps up a batch is one event and each delivery is
 * written at once; when it falls behind, a recipient gets the backlog in one socket write instead of one
 * per event, so the cost per delivery falls as the load rises.
 */
final class RoomFeed {
    private static final System.Logger LOG = System.getLogger(RoomFeed.class.getName());
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** The most events one turn of the serial path delivers together. */
    static final int MAX_BATCH = 64;

    private final RoomId room;
    private final Engine engine;
    private final SerialExecutor serial;
    /** The local subscribers: changed under the hub's per-room lock, read for every event. */
    private final SnapshotList<ChatSession.Subscription> subscribers = new SnapshotList<>();
    private final Consumer<ChatSession.Subscription> deliverTo = this::deliverPending;
    /** Where this node is in the room: events in seq order, once; null until the first event arrives. */
    private RoomCursor<RoomEvent> cursor;
    /** Signals from the fan-out not taken yet; the serial path takes them in batches. */
    private final Queue<Signal> inbox = new ConcurrentLinkedQueue<>();
    private final Runnable takeInbox = this::takeInbox;
    /** What the current turn of the serial path hands to every subscriber at its end, in order. */
    private final List<Pending> pending = new ArrayList<>();
    private volatile Fanout.Subscription subscription;
    private boolean gapCheckScheduled;
    private boolean reading;

    RoomFeed(RoomId room, Engine engine) {
        this.room = room;
        this.engine = engine;
        this.serial = new SerialExecutor(engine.workers());
    }

    void open() {
        subscription = engine.fanout().subscribe(Topic.room(room), signal -> {
            inbox.add(signal);
            serial.execute(takeInbox);
        });
    }

    void close() {
        Fanout.Subscription current = subscription;
        if (current != null) {
            current.close();
        }
    }

    /** Called under the hub's per-room lock (its map's compute), never concurrently for one feed. */
    void add(ChatSession.Subscription subscription) {
        subscribers.add(subscription);
    }

    /** Called like {@link #add}; returns whether no subscriber is left. */
    boolean remove(ChatSession.Subscription subscription) {
        subscribers.remove(subscription);
        return subscribers.isEmpty();
    }

    /** One turn: the signals that arrived (one task was queued per signal, so later turns take the rest). */
    private void takeInbox() {
        Signal signal;
        for (int taken = 0; taken < MAX_BATCH && (signal = inbox.poll()) != null; taken++) {
            process(signal);
        }
        deliverPending();
    }

    /** Runs a task on the serial path and delivers what it made ready. */
    private void onSerialPath(Runnable task) {
        serial.execute(() -> {
            task.run();
            deliverPending();
        });
    }

    private void process(Signal signal) {
        switch (signal) {
            case Signal.Durable durable -> accept(durable.event());
            case Signal.TypingChanged typing -> dispatchEphemeral(new ServerEvent.TypingEvent(typing.typing()));
            case Signal.PresenceChanged presence ->
                    dispatchEphemeral(new ServerEvent.PresenceEvent(presence.presence()));
            case Signal.Resync ignored -> catchUp();
            case Signal.SessionUpdated ignored -> {
                // published on session topics only, never on a room's
            }
            case Signal.SessionsEnded ignored -> {
                // published on the nodes' topic only
            }
        }
    }

    private void accept(RoomEvent event) {
        if (cursor == null) {
            cursor = new RoomCursor<>(event.seq() - 1);
        }
        if (cursor.advanceIfNext(event.seq())) {
            dispatch(event);
            return;
        }
        RoomCursor.Arrival arrival = cursor.offer(event.seq(), event);
        if (arrival == RoomCursor.Arrival.NEXT) {
            dispatchReady();
            return;
        }
        if (arrival == RoomCursor.Arrival.AHEAD && !gapCheckScheduled) {
            gapCheckScheduled = true;
            later(engine.settings().gapGrace(), this::fillGap);
        }
    }

    /** Delivery may have lost events: deliver whatever the store has beyond the last seq dispatched. */
    private void catchUp() {
        if (cursor == null) {
            // This feed has delivered nothing yet, so only the sessions know where they are.
            subscribers.view().forEach(subscriber -> subscriber.session().catchUp(subscriber));
            return;
        }
        if (reading) {
            later(Duration.ofMillis(50), this::catchUp);
            return;
        }
        int limit = engine.settings().replayLimit();
        readAfter(cursor.position(), limit, missing -> {
            missing.forEach(this::accept);
            if (missing.size() == limit) {
                catchUp();
            }
        }, () -> later(RETRY, this::catchUp));
    }

    private void dispatchReady() {
        for (RoomEvent event : cursor.ready(Integer.MAX_VALUE)) {
            dispatch(event);
        }
    }

    private void fillGap() {
        gapCheckScheduled = false;
        if (cursor == null || cursor.gap() == 0 || reading) {
            return;
        }
        long before = cursor.position();
        int count = (int) Math.min(cursor.gap(), engine.settings().replayLimit());
        readAfter(before, count, missing -> {
            missing.forEach(event -> cursor.offer(event.seq(), event));
            dispatchReady();
            if (cursor.waiting() && !gapCheckScheduled) {
                gapCheckScheduled = true;
                later(cursor.position() > before ? Duration.ZERO : RETRY, this::fillGap);
            }
        }, () -> {
            if (!gapCheckScheduled) {
                gapCheckScheduled = true;
                later(RETRY, this::fillGap);
            }
        });
    }

    /**
     * Reads events from the store on a worker, off the feed's serial path, so that ephemeral events and
     * everything already in order keep flowing while the store is slow; {@code then} (or {@code failed})
     * runs back on the serial path. One read at a time.
     */
    private void readAfter(long after, int limit, Consumer<List<RoomEvent>> then, Runnable failed) {
        if (reading) {
            return;
        }
        reading = true;
        engine.workers().execute(() -> {
            List<RoomEvent> events;
            try {
                events = engine.log().eventsAfter(room, after, Math.max(1, limit));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read room " + room + " after seq " + after + ": "
                        + e.getMessage() + "; trying again");
                onSerialPath(() -> {
                    reading = false;
                    failed.run();
                });
                return;
            }
            onSerialPath(() -> {
                reading = false;
                then.accept(events);
            });
        });
    }

    private void later(Duration delay, Runnable task) {
        engine.scheduler().schedule(() -> onSerialPath(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void dispatch(RoomEvent event) {
        if (!subscribers.isEmpty()) {
            pending.add(new Pending(event, Frame.encode(new ServerEvent.Durable(event), engine.encoder())));
        }
    }

    private void dispatchEphemeral(ServerEvent event) {
        if (!subscribers.isEmpty()) {
            pending.add(new Pending(null, Frame.encode(event, engine.encoder())));
        }
    }

    /** Gives each subscriber everything this turn made ready, in order, and then lets it write. */
    private void deliverPending() {
        if (pending.isEmpty()) {
            return;
        }
        SnapshotList.View<ChatSession.Subscription> targets = subscribers.view();
        try {
            targets.forEach(deliverTo);
            for (Pending next : pending) {
                engine.metrics().eventsDelivered(targets.size());
                if (next.event() != null) {
                    engine.metrics().fanoutDelivered(Duration.between(next.event().at(), engine.clock().instant()));
                }
            }
        } finally {
            pending.clear(); // delivered once, whatever happened: a later turn must not repeat them
        }
    }

    /** One subscriber's share of the turn; a failure there is logged and the others still get theirs. */
    private void deliverPending(ChatSession.Subscription subscriber) {
        ChatSession session = subscriber.session();
        try {
            for (Pending next : pending) {
                if (next.event() == null) {
                    session.deliverEphemeral(subscriber, next.frame());
                } else {
                    session.deliverDurable(subscriber, next.event(), next.frame());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "delivery to session " + session.id() + " in room " + room
                    + " failed", e);
        } finally {
            session.flush(); // a write claim taken before the failure is used (and so given up) here
        }
    }

    /** @param event the durable event, null for an ephemeral one */
    private record Pending(RoomEvent event, Frame frame) {
    }
}
