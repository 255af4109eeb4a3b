package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.engine.PresenceFilter;
import io.parley.engine.RoomCursor;
import io.parley.engine.ServerEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Delivers one resumable session's events to one stream or poll, from the client's cursor on: durable
 * events are read from the {@code RoomLog} by seq (a fan-out signal carrying exactly the next seq is used
 * as is), so delivery is exactly once and in order per room whatever node serves the session and however
 * slowly the client reads. Fan-out signals only wake the reader and carry typing and presence. Used by one
 * thread at a time.
 */
public final class SessionReader implements AutoCloseable {
    /** Sessions with more subscriptions than this ask the store which rooms moved before reading them. */
    private static final int DIRECT_READS = 8;

    private final Node node;
    private final Liveness liveness;
    private final User owner;
    private final UserId user;
    private final Mailbox mailbox;
    private final InboxFollower inbox;
    private final Map<Long, Long> positions = new HashMap<>();
    private final Map<RoomId, TopicListeners.Registration> roomListeners = new HashMap<>();
    private final Map<RoomId, Long> versions = new HashMap<>();
    /** Per room, signalled events ahead of the position: the engine's ordering rule, as in a live session. */
    private final Map<RoomId, RoomCursor<RoomEvent>> hints = new HashMap<>();
    private final Set<RoomId> dirty = new LinkedHashSet<>();
    private final PresenceFilter presenceSent = new PresenceFilter();
    private final TopicListeners.Registration sessionListener;
    private TopicListeners.Registration userListener;
    private ResumableSession record;
    private boolean gone;

    /**
     * One event to deliver.
     *
     * @param event   the event
     * @param version the subscription of a durable event, -1 for typing and presence
     * @param seq     the durable event's seq, 0 for others
     */
    public record Delivery(ServerEvent event, long version, long seq) {
        /** @return whether the event is durable (the client's cursor moves past it) */
        public boolean durable() {
            return version >= 0;
        }
    }

    /** @return the session's user */
    UserId user() {
        return user;
    }

    private SessionReader(Node node, Liveness liveness, User owner, ResumableSession record, Cursor cursor) {
        this.node = node;
        this.liveness = liveness;
        this.owner = owner;
        this.user = record.user();
        this.record = record;
        this.mailbox = new Mailbox(user);
        this.inbox = new InboxFollower(node, user);
        for (Subscription sub : record.subscriptions().values()) {
            Long seq = cursor.positions().get(sub.version());
            if (seq != null && seq > sub.start()) {
                positions.put(sub.version(), seq);
            }
        }
        this.sessionListener = node.listeners().listen(Topic.session(record.id()), mailbox::offer);
        node.deadlines().watch(mailbox);
    }

    /**
     * Starts reading a session: listens first, then looks. Once the reader listens to the session's topic
     * it reads the record again (a command posted on any node after the caller's read changed it, and its
     * signal reached nobody); every subscription is then marked to be read, so nothing stored in between is
     * missed; an inbox session follows rooms joined while nobody read it. One more store read per open.
     */
    static SessionReader open(Node node, Liveness liveness, User owner, ResumableSession record, Cursor cursor) {
        SessionReader reader = new SessionReader(node, liveness, owner, record, cursor);
        try {
            reader.reload(); // syncs the room and user listeners with the record, and follows joined rooms
            if (!reader.gone) {
                reader.skipQuietRooms();
            }
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** @return where the fan-out leaves signals for this reader */
    Mailbox mailbox() {
        return mailbox;
    }

    /**
     * Waits until something arrived for this reader, shutdown woke it, or the deadline passed.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @throws InterruptedException when the thread is interrupted (a stalled stream)
     */
    public void await(long deadlineNanos) throws InterruptedException {
        mailbox.await(deadlineNanos);
    }

    /**
     * Keeps the session live and its record fresh (a stream calls it once per heartbeat interval); the
     * record read back also brings any subscription change whose signal was lost.
     */
    public void refresh() {
        liveness.seen(record, owner, node.clock().instant()).ifPresent(this::replaced);
    }

    /** @return whether the session's record is gone (expired and removed) */
    public boolean gone() {
        return gone;
    }

    /** @return whether rooms are known to have events not delivered yet */
    public boolean hasWork() {
        return !dirty.isEmpty();
    }

    /** @return the client's position after everything collected so far */
    public Cursor cursor() {
        TreeMap<Long, Long> moved = new TreeMap<>();
        positions(moved);
        return new Cursor(record.id(), moved);
    }

    /**
     * The positions of {@link #cursor()} without building it: a stream that writes one token per event
     * keeps them in its own map.
     *
     * @param into cleared, then given the last seq collected per subscription version
     */
    public void positions(Map<Long, Long> into) {
        into.clear();
        for (Subscription sub : record.subscriptions().values()) {
            Long seq = positions.get(sub.version());
            if (seq != null && seq > sub.start()) {
                into.put(sub.version(), seq);
            }
        }
    }

    /**
     * Collects what is ready: durable events of the rooms known to have moved (at most {@code max}), then
     * typing and presence that arrived. Never waits; call again while {@link #hasWork()}.
     */
    public List<Delivery> collect(int max) {
        Mailbox.Pending pending = mailbox.drain();
        RoomEvent only = pending.onlyEvent();
        if (only != null && dirty.isEmpty() && max > 0) {
            Delivery next = inStep(only);
            if (next != null) {
                return List.of(next);
            }
        }
        if (pending.recordChanged || pending.resync) {
            reload();
            if (gone) {
                return List.of();
            }
        }
        if (pending.resync) {
            dirty.addAll(roomListeners.keySet());
        }
        for (RoomEvent.MemberJoined joined : pending.joined) {
            if (record.inbox()) {
                inbox.follow(record, joined).ifPresent(this::replaced);
            }
        }
        for (RoomId room : pending.rooms()) {
            if (roomListeners.containsKey(room)) {
                dirty.add(room);
                Subscription sub = record.subscriptions().get(room);
                if (sub != null) {
                    RoomCursor<RoomEvent> known = hintsOf(room, sub);
                    for (RoomEvent event : pending.events(room)) {
                        known.offer(event.seq(), event);
                    }
                }
            }
        }
        List<Delivery> out = new ArrayList<>();
        for (RoomId room : List.copyOf(dirty)) {
            if (out.size() >= max) {
                break;
            }
            readRoom(room, max - out.size(), out);
        }
        for (Signal signal : pending.ephemeral) {
            ephemeral(signal, out);
        }
        return out;
    }

    /**
     * The common case of a stream in step with its room, taken without the general bookkeeping (the rooms
     * to read, the hints, the store): the one event signalled since the last collect is the next one of a
     * room this reader follows, nothing else is to be read, and the event neither ends the subscription
     * nor the user's membership. It is then exactly what {@link #readRoom} would hand out.
     *
     * @param event the only event signalled
     * @return its delivery, the position moved past it; null when the general path must decide
     */
    private Delivery inStep(RoomEvent event) {
        RoomId room = event.room();
        if (hints.containsKey(room) || !roomListeners.containsKey(room)) {
            return null;
        }
        Subscription sub = record.subscriptions().get(room);
        if (sub == null || sub.until().isPresent() || event.seq() != position(sub) + 1
                || event.endsMembershipOf(user)) {
            return null;
        }
        positions.put(sub.version(), event.seq());
        return new Delivery(new ServerEvent.Durable(event), sub.version(), event.seq());
    }

    private void readRoom(RoomId room, int budget, List<Delivery> out) {
        Subscription sub = record.subscriptions().get(room);
        long pos = sub == null ? 0 : position(sub);
        if (sub == null || sub.exhaustedAt(pos)) {
            dirty.remove(room);
            hints.remove(room);
            return;
        }
        int limit = (int) Math.min(budget, sub.until().isPresent() ? sub.until().getAsLong() - pos : budget);
        List<RoomEvent> events = hintsOf(room, sub).ready(limit);
        boolean fromStore = events.isEmpty();
        if (fromStore) {
            events = node.log().eventsAfter(room, pos, limit);
        }
        for (RoomEvent event : events) {
            if (event.seq() <= pos) {
                continue;
            }
            out.add(new Delivery(new ServerEvent.Durable(event), sub.version(), event.seq()));
            pos = event.seq();
            if (event.endsMembershipOf(user)) {
                positions.put(sub.version(), pos);
                ended(room, sub, pos);
                return;
            }
        }
        positions.put(sub.version(), pos);
        RoomCursor<RoomEvent> known = hints.get(room);
        if (known != null) {
            known.skipTo(pos);
            if (!known.waiting() || fromStore && events.size() < limit) {
                hints.remove(room); // the store had everything stored so far: a hint beyond it is stale
            }
        }
        boolean more = events.size() == limit || hints.containsKey(room);
        if (!more || sub.exhaustedAt(pos)) {
            dirty.remove(room);
        }
    }

    /** The signalled events of a room, ordered from the subscription's position on. */
    private RoomCursor<RoomEvent> hintsOf(RoomId room, Subscription sub) {
        RoomCursor<RoomEvent> known = hints.computeIfAbsent(room, r -> new RoomCursor<>(position(sub)));
        known.skipTo(position(sub));
        return known;
    }

    private void ephemeral(Signal signal, List<Delivery> out) {
        switch (signal) {
            case Signal.TypingChanged typing when following(typing.typing().room()) ->
                    out.add(new Delivery(new ServerEvent.TypingEvent(typing.typing()), -1, 0));
            case Signal.PresenceChanged changed when following(changed.room()) -> {
                Presence presence = changed.presence();
                if (presenceSent.isNews(presence, record.subscriptions().size())) {
                    out.add(new Delivery(new ServerEvent.PresenceEvent(presence), -1, 0));
                }
            }
            default -> {
            }
        }
    }

    private boolean following(RoomId room) {
        Subscription sub = record.subscriptions().get(room);
        return sub != null && !sub.exhaustedAt(position(sub));
    }

    private long position(Subscription sub) {
        return Math.max(sub.start(), positions.getOrDefault(sub.version(), sub.start()));
    }

    /**
     * The subscription ended with the user's own {@code member_left} or {@code member_banned}: nothing more
     * from that room.
     */
    private void ended(RoomId room, Subscription sub, long seq) {
        node.records().update(record.id(), current -> {
            Subscription now = current.subscriptions().get(room);
            if (now == null || now.version() != sub.version()) {
                return current;
            }
            Map<RoomId, Subscription> subscriptions = new HashMap<>(current.subscriptions());
            subscriptions.put(room, new Subscription(sub.version(), sub.start(), OptionalLong.of(seq), true));
            return current.withSubscriptions(current.inbox(), subscriptions, current.excluded());
        }).ifPresentOrElse(this::replaced, () -> gone = true);
    }

    /** Re-reads the record after a change made elsewhere (a command posted on any node). */
    void reload() {
        node.records().find(record.id())
                .filter(fresh -> !fresh.expired(node.clock().instant()))
                .ifPresentOrElse(this::replaced, () -> gone = true);
    }

    /** Takes a newer record (this reader's own update, or one re-read). */
    void replaced(ResumableSession fresh) {
        if (fresh.expired(node.clock().instant())) {
            gone = true; // ended meanwhile (beyond its user's cap): as if the record were removed
            return;
        }
        if (fresh.revision() >= record.revision()) {
            boolean listenedToUser = userListener != null;
            record = fresh;
            sync();
            if (!listenedToUser && userListener != null) {
                // The session became an inbox (a subscribe posted on any node) while this reader ran. Its
                // user's joins are heard from now on; one made before, even right after the subscribe,
                // is found in the store, as when a reader opens.
                inbox.followJoinedRooms(record).ifPresent(this::replaced);
            }
        }
    }

    /** Makes the topic listeners and the rooms to read match the record's subscriptions. */
    private void sync() {
        Set<RoomId> wanted = new HashSet<>();
        for (Map.Entry<RoomId, Subscription> entry : record.subscriptions().entrySet()) {
            Subscription sub = entry.getValue();
            if (!sub.exhaustedAt(position(sub))) {
                wanted.add(entry.getKey());
            }
        }
        for (RoomId room : List.copyOf(roomListeners.keySet())) {
            if (!wanted.contains(room)) {
                roomListeners.remove(room).close();
                versions.remove(room);
                dirty.remove(room);
                hints.remove(room);
            }
        }
        for (RoomId room : wanted) {
            roomListeners.computeIfAbsent(room, r -> node.listeners().listen(Topic.room(r), mailbox::offer));
            long version = record.subscriptions().get(room).version();
            Long known = versions.put(room, version);
            if (known == null || known != version) {
                hints.remove(room); // a new subscription may start before the old one's position
                dirty.add(room); // listened first, read next: nothing stored in between is missed
            }
        }
        positions.keySet().retainAll(record.subscriptions().values().stream().map(Subscription::version)
                .collect(Collectors.toSet()));
        if (record.inbox() && userListener == null) {
            userListener = node.listeners().listen(Topic.user(user), mailbox::offer);
        } else if (!record.inbox() && userListener != null) {
            userListener.close();
            userListener = null;
        }
    }

    /** With many subscriptions, one store query tells which rooms moved; only those are read. */
    private void skipQuietRooms() {
        if (dirty.size() <= DIRECT_READS) {
            return;
        }
        Map<RoomId, Long> last = node.rooms().lastSeqsOf(user);
        dirty.removeIf(room -> {
            Long lastSeq = last.get(room);
            Subscription sub = record.subscriptions().get(room);
            // Not a member any more: read it, the member_left is still to be delivered.
            return lastSeq != null && sub != null && lastSeq <= position(sub);
        });
    }

    /** Stops listening (the stream or poll is over). */
    @Override
    public void close() {
        node.deadlines().forget(mailbox);
        sessionListener.close();
        roomListeners.values().forEach(TopicListeners.Registration::close);
        roomListeners.clear();
        if (userListener != null) {
            userListener.close();
            userListener = null;
        }
    }
}
