package io.parley.engine;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connected client: its identity, room subscriptions and bounded outbound queue. Transports call
 * {@link #handle}, {@link #reject}, {@link #touch} and {@link #transportClosed}; the server ends a session
 * with {@link #close}.
 *
 * <p>Per room the session remembers the last seq it delivered, and delivers each durable event exactly
 * once and in order: while a {@code subscribe} replays from the store, live events are held back and
 * merged after it; an unexpected gap is read from the store by a worker, outside the session lock, while
 * later events are held back the same way.
 *
 * <p>Writing holds no thread per session. A frame for a connection that can take it now (the transport
 * says how many bytes it takes without blocking, see {@link SessionSink#writableBytes()}) is written by
 * the thread that delivers it, a virtual one, once that thread has released the session lock: the room
 * feed writes to each member in turn, a command's reply goes out on the thread that read the command. A
 * frame for a connection that is behind is queued, and one drain per session (a virtual thread started on
 * demand) writes the queue in batches and ends when it is empty; a slow reader holds up only its own
 * drain. See {@link OutboundQueue}.
 */
public final class ChatSession {
    private static final System.Logger LOG = System.getLogger(ChatSession.class.getName());
    /**
     * The most payload one write hands the transport at once: frames queued while it wrote go out together.
     * 16 KiB (framing included) is one TLS record where Parley terminates TLS itself.
     */
    private static final int MAX_BATCH_BYTES = 16 * 1024;

    private final String id;
    private final User user;
    /** When the token expires, in epoch millis: {@link Long#MAX_VALUE} for a token without {@code exp}. */
    private final long tokenExpiresAtMillis;
    private final TransportKind transport;
    private final SessionSink sink;
    private final Engine engine;
    /** The hub this session attaches its subscriptions to and reports its end to. */
    private final SessionHub hub;
    /** When the session's token was issued: a revocation after it ends the session. */
    final Instant tokenIssuedAt;
    private final OutboundQueue queue;
    private final CommandRateLimiter rateLimiter;
    private final ReentrantLock lock = new ReentrantLock();
    /** Sized for the few rooms most sessions follow; it grows as any map does. */
    private final Map<RoomId, Subscription> rooms = new HashMap<>(4);
    private final PresenceFilter presenceSent = new PresenceFilter();
    private final AtomicBoolean ended = new AtomicBoolean();
    /**
     * The thread holding the write claim it took while delivering under the session lock: it writes in
     * {@link #flushClaimed()} once unlocked. Only that thread sets and clears it.
     */
    private Thread claimedBy;
    /** The frames of the write under way: used by the holder of the write claim only. */
    private final ArrayList<Frame> batch = new ArrayList<>();
    /** Where the connection came from, for the connection log. */
    private final Peer peer;
    private final long openedNanos;
    /** Frames received: written by the connection's reader only (one at a time), read at the end. */
    private volatile long framesIn;
    /** Frames written: by the holder of the write claim only, read when the writer is done. */
    private long framesOut;
    /** The close code the session ended with: the server's reason's, or what the transport reported. */
    private volatile int closeCode;
    private volatile String closeReason = "";
    private volatile long lastReceivedMillis;
    private volatile long lastPingMillis;
    /** The transport reported the connection gone: the peer answered the close, or the socket broke. */
    private volatile boolean transportGone;
    private Fanout.Subscription inbox;
    /** Completes when the session's presence has been announced (or failed to be); set by the hub on open. */
    volatile CompletableFuture<Void> presenceOpened = CompletableFuture.completedFuture(null);

    ChatSession(String id, User user, Instant tokenExpiresAt, Instant tokenIssuedAt, TransportKind transport,
                SessionSink sink, Engine engine, SessionHub hub, Peer peer) {
        this.id = id;
        this.tokenIssuedAt = tokenIssuedAt;
        this.peer = peer;
        this.openedNanos = System.nanoTime();
        this.user = user;
        // Instant.MAX (no exp) has no epoch millis: toEpochMilli() would throw on every heartbeat tick.
        this.tokenExpiresAtMillis = tokenExpiresAt.isBefore(Instant.ofEpochMilli(Long.MAX_VALUE))
                ? tokenExpiresAt.toEpochMilli() : Long.MAX_VALUE;
        this.transport = transport;
        this.sink = sink;
        this.engine = engine;
        this.hub = hub;
        this.queue = new OutboundQueue(engine.settings().queueCapacity());
        long now = engine.clock().millis();
        this.rateLimiter = new CommandRateLimiter(engine.settings().commandsPerSecond(), engine.settings().commandBurst(),
                now);
        this.lastReceivedMillis = now;
        // Counted as pinged a moment ago, so that sessions opened together (a reconnect storm) are pinged
        // spread over an interval instead of all in one tick, and then every interval after that.
        this.lastPingMillis = now - hub.pingPhaseMillis(engine.settings().heartbeat());
    }

    /** @return the session id, unique across nodes */
    public String id() {
        return id;
    }

    /** @return the authenticated user */
    public User user() {
        return user;
    }

    /** @return how the client is connected */
    public TransportKind transport() {
        return transport;
    }

    /** @return whether the session has ended */
    public boolean isClosed() {
        return ended.get();
    }

    /** @return when the heartbeat last pinged this session, or how far back it counted its first ping from */
    long lastPingMillis() {
        return lastPingMillis;
    }

    /** Records that the peer sent something (a frame, a pong): it is alive. */
    public void touch() {
        lastReceivedMillis = engine.clock().millis();
    }

    /**
     * Handles one command and queues its reply. Commands of one session must be handed in one at a time,
     * in the order the client sent them.
     *
     * @param command a decoded client command of this session
     */
    public void handle(ClientCommand command) {
        touch();
        framesIn++;
        if (ended.get()) {
            return;
        }
        if (!rateLimiter.tryAcquire(engine.clock().millis())) {
            // Every command gets one reply, the one that ends the session too (flushed before the 4029).
            reply(ServerEvent.Error.of(command.ref(), ErrorCode.RATE_LIMITED, "too many commands, slow down"));
            if (rateLimiter.abusive()) {
                close(CloseReason.RATE_LIMITED);
            }
            return;
        }
        Optional<ServerEvent.Error> overUserRate = engine.overUserRate(user.id(), command.ref());
        if (overUserRate.isPresent()) {
            reply(overUserRate.get()); // refused, the session kept: its own rate is not the one exceeded
            return;
        }
        engine.commands().execute(this, command);
    }

    /**
     * Answers a frame that could not be decoded.
     *
     * @param error the error to send
     */
    public void reject(ServerEvent.Error error) {
        touch();
        framesIn++;
        reply(error);
    }

    /**
     * Ends the session from the server side: the peer is told why (close code) and the connection closed.
     * Queued frames are flushed first unless the peer is the problem (slow consumer, silent peer).
     *
     * @param reason why
     */
    public void close(CloseReason reason) {
        // Everything queued goes out before the close frame (every accepted command keeps its reply, a
        // flooder sees its rate_limited errors before 4029), unless the peer is the problem: one that stopped
        // reading or went silent would not take it anyway.
        boolean flush = reason != CloseReason.SLOW_CONSUMER && reason != CloseReason.HEARTBEAT_TIMEOUT;
        if (end(reason, reason.code(), reason.name().toLowerCase(java.util.Locale.ROOT))) {
            sink.closing();
            if (queue.finish(new OutboundQueue.Close(reason), flush)) {
                startDrain();
            }
            engine.scheduler().schedule(this::terminateIfStuck, engine.settings().closeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The transport reports that the connection broke (no close code: 1006 in the connection log). */
    public void transportClosed() {
        transportClosed(1006, "connection_lost");
    }

    /**
     * The transport reports that the connection is gone: the peer closed it, or it broke.
     *
     * @param code   the peer's close code (1006 when the connection broke without one)
     * @param reason a word or two for the connection log
     */
    public void transportClosed(int code, String reason) {
        transportGone = true;
        if (end(null, code, reason) && queue.finish(new OutboundQueue.Stop(), false)) {
            startDrain();
        }
    }

    void start() {
        reply(new ServerEvent.Welcome(user.id(), id, transport, engine.settings().heartbeat().toMillis(), false));
    }

    /** Called by the hub's heartbeat tick: pings, closes silent peers and expired tokens. */
    void tick(long nowMillis) {
        if (ended.get()) {
            return;
        }
        long heartbeat = engine.settings().heartbeat().toMillis();
        if (nowMillis >= tokenExpiresAtMillis) {
            close(CloseReason.TOKEN_EXPIRED);
        } else if (nowMillis - lastReceivedMillis > 2 * heartbeat) {
            close(CloseReason.HEARTBEAT_TIMEOUT);
        } else if (nowMillis - lastPingMillis >= heartbeat) {
            lastPingMillis = nowMillis;
            if (queue.offerPing() == OutboundQueue.Offer.START_DRAIN) {
                startDrain();
            }
        }
    }

    // ---- subscriptions -------------------------------------------------------------------------------------

    /**
     * Refuses a {@code subscribe} to one room more than {@link SessionSettings#maxSubscriptionsPerSession()}
     * (a room already subscribed to, by the inbox too, is no more).
     */
    void admitSubscription(RoomId room) {
        int max = engine.settings().maxSubscriptionsPerSession();
        lock.lock();
        try {
            if (!rooms.containsKey(room) && rooms.size() >= max) {
                engine.metrics().limitRefused(SessionSubscriptions.LIMIT);
                throw SessionSubscriptions.tooMany(max);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A room subscription the client asked for: a member's, and the product's subscribe hook is asked. */
    ServerEvent.Subscribed subscribe(RoomId room, OptionalLong after) {
        engine.rooms().subscribable(user, room);
        return attach(room, after);
    }

    /** A room the inbox follows: the user is a member, which the product's join hook decided. */
    private ServerEvent.Subscribed follow(RoomId room, OptionalLong after) {
        engine.rooms().room(user, room);
        return attach(room, after);
    }

    private ServerEvent.Subscribed attach(RoomId room, OptionalLong after) {
        Subscription sub = new Subscription(this, room);
        Subscription replaced;
        boolean live;
        lock.lock();
        try {
            // end() marks the session ended before it takes the lock to clear the rooms: a subscription
            // made after that would never be detached, and its room's feed would hold this session forever
            live = !ended.get();
            replaced = rooms.put(room, sub);
            if (replaced != null) {
                replaced.active = false;
            }
            sub.active = live;
        } finally {
            lock.unlock();
        }
        if (live) {
            hub.attach(sub);
            if (!isActive(sub)) {
                hub.detach(sub); // the session ended (or the room was left) while it was being attached
            }
        }
        if (replaced != null) {
            hub.detach(replaced);
        }
        long last = engine.log().lastSeq(room);
        List<RoomEvent> replay = after.isPresent()
                ? engine.log().eventsAfter(room, after.getAsLong(), engine.settings().replayLimit())
                : List.of();
        lock.lock();
        try {
            if (!sub.active) {
                return new ServerEvent.Subscribed(room, last, 0, true);
            }
            sub.cursor.skipTo(after.isPresent() ? Math.min(after.getAsLong(), last) : last);
            for (RoomEvent event : replay) {
                if (event.seq() > sub.cursor.position()) {
                    enqueue(Frame.encode(new ServerEvent.Durable(event), engine.encoder()));
                    sub.cursor.skipTo(event.seq());
                }
            }
            // Events appended while the replay was read may take the replay past the seq read before it.
            long lastSeq = Math.max(last, sub.cursor.position());
            boolean complete = sub.cursor.position() >= last;
            ServerEvent.Subscribed result = new ServerEvent.Subscribed(room, lastSeq, replay.size(), complete);
            sub.paused = !complete;
            return result;
        } finally {
            lock.unlock();
            flushClaimed();
        }
    }

    /** Ends the replay phase of a subscription: held-back live events follow the ack. */
    void subscribed(RoomId room) {
        Subscription sub;
        boolean left;
        lock.lock();
        try {
            sub = rooms.get(room);
            left = sub != null && releaseLocked(sub);
        } finally {
            lock.unlock();
            flushClaimed();
        }
        if (left) {
            unsubscribe(sub);
        }
    }

    void unsubscribe(RoomId room) {
        Subscription sub;
        lock.lock();
        try {
            sub = rooms.get(room);
        } finally {
            lock.unlock();
        }
        if (sub != null) {
            unsubscribe(sub);
        }
    }

    private boolean isActive(Subscription sub) {
        lock.lock();
        try {
            return sub.active;
        } finally {
            lock.unlock();
        }
    }

    /** Ends this subscription, unless a newer one of the same room replaced it meanwhile. */
    private void unsubscribe(Subscription sub) {
        lock.lock();
        try {
            if (!rooms.remove(sub.room, sub)) {
                return;
            }
            sub.active = false;
        } finally {
            lock.unlock();
        }
        hub.detach(sub);
    }

    List<ServerEvent.Subscribed> subscribeInbox(Map<RoomId, Long> after) {
        lock.lock();
        try {
            if (inbox == null) {
                inbox = engine.fanout().subscribe(Topic.user(user.id()), this::onOwnMembership);
            }
        } finally {
            lock.unlock();
        }
        List<ServerEvent.Subscribed> results = new ArrayList<>();
        for (RoomId room : engine.roomStore().roomsOf(user.id())) {
            Long seq = after.get(room);
            results.add(follow(room, seq == null ? OptionalLong.empty() : OptionalLong.of(seq)));
            subscribed(room);
        }
        return results;
    }

    void unsubscribeInbox() {
        List<RoomId> all;
        lock.lock();
        try {
            if (inbox != null) {
                inbox.close();
                inbox = null;
            }
            all = new ArrayList<>(rooms.keySet());
        } finally {
            lock.unlock();
        }
        all.forEach(this::unsubscribe);
    }

    private void onOwnMembership(Signal signal) {
        if (signal instanceof Signal.Durable(RoomEvent.MemberJoined joined) && joined.user().equals(user.id())) {
            boolean known;
            lock.lock();
            try {
                known = inbox == null || rooms.containsKey(joined.room());
            } finally {
                lock.unlock();
            }
            if (!known) {
                // Follow the new room from its member_joined event on, off the fan-out thread.
                engine.workers().execute(() -> {
                    try {
                        follow(joined.room(), OptionalLong.of(joined.seq() - 1));
                        subscribed(joined.room());
                    } catch (ParleyException e) {
                        LOG.log(System.Logger.Level.DEBUG, "inbox cannot follow room " + joined.room(), e);
                    }
                });
            }
        }
    }

    // ---- delivery ------------------------------------------------------------------------------------------

    /**
     * Delivers a durable event of the subscription's room, in seq order and once. Called by the room's
     * feed for every local subscription; never reads the store: a gap is filled by a worker while later
     * events are held back. What the calling thread may write itself waits for {@link #flush()}.
     */
    void deliverDurable(Subscription sub, RoomEvent event, Frame frame) {
        boolean left;
        lock.lock();
        try {
            if (!sub.active || sub.paused) {
                return;
            }
            if (sub.holding) {
                sub.cursor.offer(event.seq(), new Held(event, frame));
                return;
            }
            left = deliverLocked(sub, event, frame);
        } finally {
            lock.unlock();
        }
        if (left) {
            unsubscribe(sub);
        }
    }

    /**
     * Delivers one event, or, when events before it are missing, holds it back and has a worker read the
     * missing ones from the store. Guarded by the session lock.
     *
     * @return whether it was the user's own {@code member_left} or {@code member_banned}: the caller
     *         unsubscribes after unlocking
     */
    private boolean deliverLocked(Subscription sub, RoomEvent event, Frame frame) {
        if (sub.cursor.advanceIfNext(event.seq())) {
            enqueue(frame);
            if (event.endsMembershipOf(user.id())) {
                sub.cursor.clear();
                return true;
            }
            return false;
        }
        return switch (sub.cursor.offer(event.seq(), new Held(event, frame))) {
            case DUPLICATE -> false;
            case NEXT -> deliverReadyLocked(sub);
            case AHEAD -> {
                holdAndFill(sub);
                yield false;
            }
        };
    }

    /**
     * Delivers the run of events that continues the subscription's position, up to the user's own
     * {@code member_left} or {@code member_banned} (nothing after it); a gap behind the run is read from the
     * store meanwhile.
     *
     * @return whether the user's own {@code member_left} or {@code member_banned} was among them
     */
    private boolean deliverReadyLocked(Subscription sub) {
        for (Held next : sub.cursor.ready(Integer.MAX_VALUE)) {
            enqueue(next.frame());
            if (next.event().endsMembershipOf(user.id())) {
                sub.cursor.clear();
                return true;
            }
        }
        if (sub.cursor.waiting()) {
            holdAndFill(sub);
        }
        return false;
    }

    /** Holds live events back while a worker reads the missing ones. */
    private void holdAndFill(Subscription sub) {
        sub.holding = true;
        fillLater(sub, (int) Math.min(Math.max(1, sub.cursor.gap()), engine.settings().replayLimit()));
    }

    /**
     * Ends holding: delivers what waits, in order; a gap sends the subscription back to holding.
     *
     * @return whether the user's own {@code member_left} or {@code member_banned} was among them
     */
    private boolean releaseLocked(Subscription sub) {
        sub.holding = false;
        if (sub.paused) {
            sub.cursor.clear();
            return false;
        }
        return deliverReadyLocked(sub);
    }

    /**
     * Reads up to {@code count} events after the subscription's position from the store on a worker,
     * outside every lock, then delivers them and what was held back meanwhile. A store that fails is
     * asked again a second later; a session that holds more than its queue could is closed as slow, to
     * resume by seq when it reconnects.
     */
    private void fillLater(Subscription sub, int count) {
        long from = sub.cursor.position();
        engine.workers().execute(() -> {
            List<RoomEvent> missing;
            try {
                missing = engine.log().eventsAfter(sub.room, from, Math.max(1, count));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read room " + sub.room + " for session " + id
                        + ": " + e.getMessage() + "; trying again");
                retryFill(sub, count);
                return;
            }
            boolean left = false;
            lock.lock();
            try {
                if (!sub.active) {
                    return;
                }
                for (RoomEvent event : missing) {
                    if (event.seq() > sub.cursor.position()) {
                        sub.cursor.offer(event.seq(),
                                new Held(event, Frame.encode(new ServerEvent.Durable(event), engine.encoder())));
                    }
                }
                if (sub.cursor.gap() > 0) {
                    // The store has nothing between this session's position and the held event: deliver on
                    // rather than wait for events that will not come.
                    long skipTo = sub.cursor.position() + sub.cursor.gap();
                    LOG.log(System.Logger.Level.WARNING, "room " + sub.room + " has no events after seq "
                            + sub.cursor.position() + "; session " + id + " skips to seq " + (skipTo + 1));
                    sub.cursor.skipTo(skipTo);
                }
                left = releaseLocked(sub);
            } finally {
                lock.unlock();
                flushClaimed();
            }
            if (left) {
                unsubscribe(sub);
            }
        });
    }

    private void retryFill(Subscription sub, int count) {
        engine.scheduler().schedule(() -> {
            boolean tooMuchHeld;
            lock.lock();
            try {
                if (!sub.active) {
                    return;
                }
                tooMuchHeld = sub.cursor.waitingCount() > engine.settings().queueCapacity();
                if (!tooMuchHeld) {
                    fillLater(sub, count);
                }
            } finally {
                lock.unlock();
            }
            if (tooMuchHeld) {
                engine.metrics().slowConsumerClosed();
                close(CloseReason.SLOW_CONSUMER);
            }
        }, 1, TimeUnit.SECONDS);
    }

    /** Delivers whatever the store has beyond this session's position in a room (after a possible loss). */
    void catchUp(Subscription sub) {
        lock.lock();
        try {
            if (!sub.active || sub.paused || sub.holding) {
                return;
            }
            sub.holding = true;
            fillLater(sub, engine.settings().replayLimit());
        } finally {
            lock.unlock();
        }
    }

    /** Writes what the room feed delivered to this session in its turn, if the feed's thread may. */
    void flush() {
        flushClaimed();
    }

    /** Delivers a typing or presence event; like {@link #deliverDurable}, it is written on {@link #flush()}. */
    void deliverEphemeral(Subscription sub, Frame frame) {
        lock.lock();
        try {
            if (!sub.active || sub.paused) {
                return;
            }
            if (frame.event() instanceof ServerEvent.PresenceEvent(Presence presence)) {
                if (!presenceSent.isNews(presence, rooms.size())) {
                    return;
                }
            }
            enqueue(frame);
        } finally {
            lock.unlock();
        }
    }

    void reply(ServerEvent event) {
        if (event instanceof ServerEvent.Error error) {
            engine.metrics().errorSent(error.code());
        }
        enqueue(Frame.encode(event, engine.encoder()));
    }

    /**
     * Queues a frame. A virtual thread may take the write claim and write the frame itself: at once when
     * it holds no session lock, else in {@link #flushClaimed()} right after it releases it.
     */
    private void enqueue(Frame frame) {
        int inlineBytes = Thread.currentThread().isVirtual() ? sink.writableBytes() : 0;
        switch (queue.offer(frame, inlineBytes)) {
            case OVERFLOW -> {
                engine.metrics().slowConsumerClosed();
                close(CloseReason.SLOW_CONSUMER);
            }
            case WRITE_NOW -> {
                claimedBy = Thread.currentThread();
                if (!lock.isHeldByCurrentThread()) {
                    flushClaimed();
                }
            }
            case START_DRAIN -> startDrain();
            case ACCEPTED, DROPPED, CLOSED -> {
                // queued behind a write under way, or not wanted
            }
        }
    }

    /**
     * Writes what this thread claimed while it held the session lock: one batch, as much as the
     * connection takes without blocking. What was queued meanwhile goes to a drain.
     */
    private void flushClaimed() {
        if (claimedBy != Thread.currentThread()) {
            return;
        }
        claimedBy = null;
        OutboundQueue.Item item = queue.next(batch, Math.min(MAX_BATCH_BYTES, Math.max(1, sink.writableBytes())));
        boolean more = item != null && write(item) && queue.handOver();
        batch.clear();
        if (more) {
            startDrain();
        }
    }

    private void startDrain() {
        engine.workers().execute(this::drain);
    }

    /** Writes everything queued, in batches, then ends; started when a frame cannot be written inline. */
    private void drain() {
        OutboundQueue.Item item;
        while ((item = queue.next(batch, MAX_BATCH_BYTES)) != null) {
            boolean more = write(item);
            boolean wasLong = batch.size() > 16;
            batch.clear();
            if (wasLong) {
                batch.trimToSize(); // a long batch's array is not kept for an idle connection
            }
            if (!more) {
                return;
            }
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    private boolean end(CloseReason reason, int code, String why) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        closeCode = code;
        closeReason = why;
        List<Subscription> subscribed;
        lock.lock();
        try {
            subscribed = new ArrayList<>(rooms.values());
            subscribed.forEach(sub -> sub.active = false);
            rooms.clear();
            if (inbox != null) {
                inbox.close();
                inbox = null;
            }
        } finally {
            lock.unlock();
        }
        subscribed.forEach(hub::detach);
        hub.ended(this, reason == null ? "peer_closed" : reason.name().toLowerCase(java.util.Locale.ROOT));
        return true;
    }

    /**
     * Writes one item taken with the write claim (for a {@link OutboundQueue.Write}, {@code batch} holds the
     * frames).
     *
     * @return false once the final item (close or stop) is done: nothing is written after it
     */
    private boolean write(OutboundQueue.Item item) {
        try {
            switch (item) {
                case OutboundQueue.Write ignored -> {
                    if (!transportGone) {
                        sink.send(batch);
                        framesOut += batch.size();
                    }
                }
                case OutboundQueue.Ping ignored -> {
                    if (!transportGone) {
                        sink.ping();
                    }
                }
                case OutboundQueue.Close close -> {
                    sink.close(close.reason());
                    writerDone();
                    return false;
                }
                case OutboundQueue.Stop ignored -> {
                    writerDone();
                    return false;
                }
            }
        } catch (IOException e) {
            transportClosed();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "writing to session " + id + " failed", e);
            transportClosed();
            sink.terminate();
        }
        return true;
    }

    /** The last thing the writer does: nothing is written after it, so the connection log's counts are final. */
    private void writerDone() {
        hub.writerDone(this);
        ConnectionLog.closed(id, user.id().value(), transport, peer, Duration.ofNanos(System.nanoTime() - openedNanos),
                closeCode, closeReason, framesIn, framesOut);
    }

    /**
     * At the close timeout: a peer that has neither taken its close frame (its drain is still blocked) nor
     * answered it loses its connection, rather than keeping a socket until the idle timeout.
     */
    private void terminateIfStuck() {
        if (!transportGone) {
            LOG.log(System.Logger.Level.DEBUG, "session " + id + " did not close in time; dropping the connection");
            sink.terminate();
        }
    }

    /**
     * One room subscription of this session: what the room's feed holds for each local subscriber, so a
     * delivery needs no lookup. Its delivery state is guarded by the session's lock: a {@link RoomCursor}
     * (position and the events that arrived ahead of it) and, while a replay or a gap fill is under way
     * ({@code holding}), live events wait in the cursor until it ends.
     */
    static final class Subscription implements SnapshotList.Slotted {
        private final ChatSession session;
        private final RoomId room;
        private boolean active = true;
        private final RoomCursor<Held> cursor = new RoomCursor<>(0);
        private boolean paused;
        private boolean holding = true;
        /** Where the room feed keeps it; the feed's changes (under the hub's per-room lock) only. */
        private int slot = -1;

        private Subscription(ChatSession session, RoomId room) {
            this.session = session;
            this.room = room;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public void slot(int slot) {
            this.slot = slot;
        }

        ChatSession session() {
            return session;
        }

        RoomId room() {
            return room;
        }
    }

    private record Held(RoomEvent event, Frame frame) {
    }
}
