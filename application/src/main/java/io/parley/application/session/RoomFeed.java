package io.parley.application.session;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One room's events as this node receives them, put back in seq order and delivered to the room's local
 * sessions. The fan-out may reorder events of concurrent publishers or lose some (a broker outage): the
 * feed holds early events back, waits {@link SessionSettings#gapGrace()} for the missing ones, then reads
 * what is still missing from the store. Each event is encoded once for all sessions. All state is touched
 * on the feed's own serial executor only.
 */
final class RoomFeed {
    private static final System.Logger LOG = System.getLogger(RoomFeed.class.getName());
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RoomId room;
    private final SessionHub hub;
    private final SerialExecutor serial;
    private final Set<ChatSession> sessions = ConcurrentHashMap.newKeySet();
    private final TreeMap<Long, RoomEvent> early = new TreeMap<>();
    private volatile Fanout.Subscription subscription;
    private long lastSeq = -1;
    private boolean gapCheckScheduled;

    RoomFeed(RoomId room, SessionHub hub) {
        this.room = room;
        this.hub = hub;
        this.serial = new SerialExecutor(hub.workers());
    }

    void open() {
        subscription = hub.fanout().subscribe(io.parley.application.port.out.Topic.room(room),
                signal -> serial.execute(() -> process(signal)));
    }

    void close() {
        Fanout.Subscription current = subscription;
        if (current != null) {
            current.close();
        }
    }

    void add(ChatSession session) {
        sessions.add(session);
    }

    boolean remove(ChatSession session) {
        sessions.remove(session);
        return sessions.isEmpty();
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
        }
    }

    private void accept(RoomEvent event) {
        if (lastSeq < 0) {
            lastSeq = event.seq() - 1;
        }
        if (event.seq() <= lastSeq) {
            return;
        }
        if (event.seq() == lastSeq + 1) {
            dispatch(event);
            drainEarly();
            return;
        }
        early.put(event.seq(), event);
        if (!gapCheckScheduled) {
            gapCheckScheduled = true;
            later(hub.settings().gapGrace(), this::fillGap);
        }
    }

    /** Delivery may have lost events: deliver whatever the store has beyond the last seq dispatched. */
    private void catchUp() {
        if (lastSeq < 0) {
            // This feed has delivered nothing yet, so only the sessions know where they are.
            sessions.forEach(session -> session.catchUp(room));
            return;
        }
        try {
            long storeLast = hub.log().lastSeq(room);
            while (lastSeq < storeLast) {
                List<RoomEvent> missing = hub.log().eventsAfter(room, lastSeq, hub.settings().replayLimit());
                if (missing.isEmpty()) {
                    break;
                }
                missing.forEach(this::accept);
            }
        } catch (ParleyException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot catch up room " + room + ": " + e.getMessage());
            later(RETRY, this::catchUp);
        }
    }

    private void drainEarly() {
        while (!early.isEmpty()) {
            Map.Entry<Long, RoomEvent> first = early.firstEntry();
            if (first.getKey() <= lastSeq) {
                early.pollFirstEntry();
            } else if (first.getKey() == lastSeq + 1) {
                early.pollFirstEntry();
                dispatch(first.getValue());
            } else {
                return;
            }
        }
    }

    private void fillGap() {
        gapCheckScheduled = false;
        if (early.isEmpty()) {
            return;
        }
        long missingUpTo = early.firstKey() - 1;
        long before = lastSeq;
        try {
            List<RoomEvent> missing = hub.log().eventsAfter(room, lastSeq, (int) Math.min(missingUpTo - lastSeq,
                    hub.settings().replayLimit()));
            for (RoomEvent event : missing) {
                if (event.seq() == lastSeq + 1) {
                    dispatch(event);
                }
            }
            drainEarly();
        } catch (ParleyException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot backfill room " + room + ": " + e.getMessage());
        }
        if (!early.isEmpty() && !gapCheckScheduled) {
            gapCheckScheduled = true;
            later(lastSeq > before ? Duration.ZERO : RETRY, this::fillGap);
        }
    }

    private void later(Duration delay, Runnable task) {
        hub.scheduler().schedule(() -> serial.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void dispatch(RoomEvent event) {
        lastSeq = event.seq();
        if (sessions.isEmpty()) {
            return;
        }
        Frame frame = Frame.encode(new ServerEvent.Durable(event), hub.encoder());
        for (ChatSession session : sessions) {
            session.deliverDurable(event, frame);
        }
        hub.metrics().eventsDelivered(sessions.size());
        hub.metrics().fanoutDelivered(Duration.between(event.at(), hub.clock().instant()));
    }

    private void dispatchEphemeral(ServerEvent event) {
        if (sessions.isEmpty()) {
            return;
        }
        Frame frame = Frame.encode(event, hub.encoder());
        for (ChatSession session : sessions) {
            session.deliverEphemeral(room, frame);
        }
        hub.metrics().eventsDelivered(sessions.size());
    }
}
