package io.parley.engine;

import io.parley.application.ChatCore;
import io.parley.application.port.in.ManageUsers;
import io.parley.application.port.in.TrackPresence;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.application.port.out.TokenVerifier;
import io.parley.application.service.ChatContext;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's live sessions and the room feeds they share: the engine between the use cases of a
 * {@link ChatCore} and the transports. A node subscribes to a room's fan-out topic when its first local
 * session subscribes to the room and unsubscribes when the last one leaves, so broker traffic follows local
 * interest, not the number of rooms. Heartbeats run on one shared scheduler tick for all sessions.
 *
 * <pre>{@code
 * SessionHub hub = SessionHub.builder()
 *         .core(core)                        // the use cases and ports sessions work with
 *         .encoder(ProtocolCodec.create())   // events are encoded once per node, to the bytes on the wire
 *         .settings(SessionSettings.defaults())
 *         .build();
 * ChatSession session = hub.open(verifiedToken, TransportKind.WEBSOCKET, sink);
 * }</pre>
 */
public final class SessionHub {
    private static final System.Logger LOG = System.getLogger(SessionHub.class.getName());
    private static final long HEARTBEAT_TICK_MILLIS = 1000;
    private final Engine engine;
    private final ChatContext ctx;
    private final TrackPresence presence;
    private final ManageUsers users;
    private final Fanout.Subscription nodeSignals;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final ExecutorService workers;
    private final Map<String, ChatSession> sessions = new ConcurrentHashMap<>();
    private final Set<ChatSession> writing = ConcurrentHashMap.newKeySet();
    private final Map<RoomId, RoomFeed> feeds = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;
    private long ticks;
    private final Phases phases = new Phases();

    private SessionHub(Builder builder) {
        ChatCore core = builder.core;
        this.ctx = core.context();
        this.presence = core.presence();
        this.users = core.users();
        this.ownScheduler = builder.scheduler == null;
        this.scheduler = ownScheduler
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-sessions")
                .factory())
                : builder.scheduler;
        this.workers = Executors.newVirtualThreadPerTaskExecutor();
        this.engine = new Engine(ctx.log(), ctx.rooms(), core.rooms(), ctx.fanout(), ctx.clock(), ctx.metrics(),
                builder.encoder, builder.settings, scheduler, workers,
                new CommandHandler(core.rooms(), core.converse(), presence, ctx.metrics()),
                new UserCommandBudget(builder.settings.commandsPerSecondPerUser(),
                        builder.settings.commandBurstPerUser(), ctx.counters(), ctx.clock()::millis));
        scheduler.scheduleWithFixedDelay(this::tick, HEARTBEAT_TICK_MILLIS, HEARTBEAT_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        this.nodeSignals = ctx.fanout().subscribe(Topic.nodes(), this::onNodeSignal);
    }

    /** The backend ended a user's sessions (on any node): this node closes those it serves. */
    private void onNodeSignal(Signal signal) {
        if (signal instanceof Signal.SessionsEnded ended) {
            for (ChatSession session : sessions.values()) {
                if (session.user().id().equals(ended.user())) {
                    if (ended.revokedBefore().isEmpty()) {
                        session.close(CloseReason.DISCONNECTED);
                    } else if (session.tokenIssuedAt.isBefore(ended.revokedBefore().get())) {
                        session.close(CloseReason.TOKEN_REVOKED);
                    }
                }
            }
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a session for an authenticated client: queues its {@code welcome} and
     * announces its presence (on a worker; a store that fails there does not fail the connection).
     *
     * @param token     the verified token
     * @param transport how the client is connected: a transport that holds a bidirectional connection
     * @param sink      where the session's frames go
     * @return the session
     * @throws IllegalArgumentException for a resumable transport, whose sessions are
     *                                  {@link io.parley.engine.resumable.ResumableHub}'s
     */
    public ChatSession open(TokenVerifier.VerifiedToken token, TransportKind transport, SessionSink sink) {
        return open(token, transport, sink, Peer.UNKNOWN);
    }

    /**
     * Opens a live session for an authenticated connection, as {@link #open(TokenVerifier.VerifiedToken,
     * TransportKind, SessionSink)} does, and records where it came from in the connection log.
     *
     * @param token     the verified token
     * @param transport how the client is connected (bidirectional, not resumable)
     * @param sink      where the session's frames go
     * @param peer      where the connection came from
     * @return the session
     */
    public ChatSession open(TokenVerifier.VerifiedToken token, TransportKind transport, SessionSink sink,
                            Peer peer) {
        if (transport.resumable() || !transport.bidirectional()) {
            throw new IllegalArgumentException(transport.wireName() + " sessions are resumable: open them with "
                    + "the ResumableHub");
        }
        users.checkNotRevoked(token);
        UserId owner = token.user().id();
        String id = ctx.ids().next();
        if (!ctx.counters().hold(connectionsKey(owner), id, engine.settings().maxConnectionsPerUser())) {
            ctx.metrics().limitRefused("connections_per_user");
            throw new ParleyException(ErrorCode.RATE_LIMITED, "too many open connections for this user (at most "
                    + engine.settings().maxConnectionsPerUser() + scope() + "): close one");
        }
        ChatSession session = new ChatSession(id, token.user(), token.expiresAt(), token.issuedAt(), transport, sink,
                engine, this, peer);
        sessions.put(session.id(), session);
        ConnectionLog.opened(session.id(), session.user().id().value(), transport, peer, false);
        writing.add(session);
        ctx.metrics().sessionOpened(transport.wireName());
        // Presence is announced off the connection's thread: opening a session never waits for (or fails
        // with) the store the announcement reads. Its end is announced after it (see ended).
        session.presenceOpened = CompletableFuture.runAsync(
                () -> presence.opened(session.user(), session.id()), workers)
                .exceptionally(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "presence of session " + session.id()
                            + " not announced: " + failure.getMessage());
                    return null;
                });
        session.start();
        return session;
    }

    /**
     * Runs one command of a session that has no connection on this node: SSE and long-poll sessions post
     * their commands to any node, and keep their subscriptions in a shared record. The command goes through
     * the same use cases and rules as on a live session and gets the same reply; events it causes reach
     * the session through its stream or poll, not here.
     *
     * @param user          the session's user (authenticated by the caller)
     * @param sessionId     the session id (presence is kept per session)
     * @param subscriptions where {@code subscribe}/{@code unsubscribe} take effect
     * @param command       the command
     * @return its reply: {@code ack}, {@code pong}, or an {@code error} carrying the command's {@code ref}
     */
    public ServerEvent execute(User user, String sessionId, SessionSubscriptions subscriptions,
                               ClientCommand command) {
        ServerEvent reply = engine.commands().reply(user, sessionId, subscriptions, command);
        if (reply instanceof ServerEvent.Error error) {
            ctx.metrics().errorSent(error.code());
        }
        return reply;
    }

    /**
     * A session served outside this hub (SSE, long-poll) became live: counts for its user's presence like an
     * open connection. Call once per live period, on one node; {@link #sessionGone} ends it.
     *
     * @param user      the user
     * @param sessionId the session id
     */
    public void sessionLive(User user, String sessionId) {
        presence.opened(user, sessionId);
    }

    /**
     * A session served outside this hub stopped streaming or polling: its presence ends.
     *
     * @param user      the user
     * @param sessionId the session id
     */
    public void sessionGone(User user, String sessionId) {
        presence.closed(user, sessionId);
    }

    /**
     * Whether this node takes new sessions. False once {@link #stopAccepting()} was called: the node is
     * draining before a restart, transports refuse new connections (HTTP 503, WebSocket close 1013) and the
     * readiness check reports it, so a load balancer sends clients elsewhere; the sessions already open go
     * on until {@link #shutdown}.
     *
     * @return whether new sessions are taken
     */
    public boolean accepting() {
        return accepting;
    }

    /** Stops taking new sessions (the first step of a graceful shutdown); cannot be undone. */
    public void stopAccepting() {
        accepting = false;
    }

    /** @return the live sessions of this node */
    public Collection<ChatSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** @return the settings sessions run with */
    public SessionSettings settings() {
        return engine.settings();
    }

    /** @return the encoder every session's frames are encoded with */
    public EventEncoder encoder() {
        return engine.encoder();
    }

    /**
     * Closes every session with {@link CloseReason#GOING_AWAY} (clients reconnect elsewhere and resume),
     * waits up to {@code timeout} for their writers to flush and send the close frame, then stops the
     * hub's own scheduler (one given to the builder is left to its owner).
     *
     * @param timeout how long to wait
     */
    public void shutdown(Duration timeout) {
        nodeSignals.close();
        sessions().forEach(session -> session.close(CloseReason.GOING_AWAY));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!writing.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (ownScheduler) {
                scheduler.shutdownNow();
            }
        }
    }

    /**
     * @param heartbeat the ping interval
     * @return how long before its opening the next session counts as last pinged, in ms ({@link Phases})
     */
    long pingPhaseMillis(Duration heartbeat) {
        return phases.next(heartbeat).toMillis();
    }

    /** One heartbeat tick over all sessions, run about once a second on the scheduler. */
    void tick() {
        long now = ctx.clock().millis();
        for (ChatSession session : sessions.values()) {
            try {
                if (users.revoked(session.user().id(), session.tokenIssuedAt)) {
                    session.close(CloseReason.TOKEN_REVOKED); // the signal was lost: the stored revocation ends it
                } else {
                    session.tick(now);
                }
            } catch (RuntimeException e) {
                // One session's failure must not end the tick: a scheduled task that throws is never run again.
                LOG.log(System.Logger.Level.ERROR, "heartbeat of session " + session.id() + " failed", e);
            }
        }
        if (++ticks % 60 == 0) {
            engine.userCommands().forgetIdle(TimeUnit.MINUTES.toMillis(1));
        }
    }

    /**
     * Counts one command of a session served outside this hub (SSE, long-poll) against its user's command
     * rate, the one live sessions share (on every node together when the usage counters are shared).
     *
     * @param user whose command it is
     * @param ref  the command's ref
     * @return the {@code rate_limited} reply when the user is over the rate; empty when the command may run
     */
    public Optional<ServerEvent.Error> overUserRate(UserId user, Optional<String> ref) {
        return engine.overUserRate(user, ref);
    }

    void attach(ChatSession.Subscription subscription) {
        feeds.compute(subscription.room(), (id, feed) -> {
            RoomFeed current = feed;
            if (current == null) {
                current = new RoomFeed(id, engine);
                current.open();
            }
            current.add(subscription);
            return current;
        });
    }

    void detach(ChatSession.Subscription subscription) {
        feeds.computeIfPresent(subscription.room(), (id, feed) -> {
            if (feed.remove(subscription)) {
                feed.close();
                return null;
            }
            return feed;
        });
    }

    void ended(ChatSession session, String reason) {
        if (sessions.remove(session.id()) != null) {
            ctx.counters().release(connectionsKey(session.user().id()), session.id());
            ctx.metrics().sessionClosed(session.transport().wireName(), reason);
            session.presenceOpened.whenCompleteAsync((ignored, failure) -> {
                try {
                    presence.closed(session.user(), session.id());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "end of session " + session.id()
                            + " not announced: " + e.getMessage());
                }
            }, workers);
        }
    }

    /**
     * Whether a user may open another live connection ({@link SessionSettings#maxConnectionsPerUser}, counted in the
     * core's {@code UsageCounters}: on every node together when they are shared, else on this node):
     * transports ask before the upgrade, to refuse with 429 before any work; {@link #open} enforces it.
     *
     * @param user who wants to connect
     * @return whether a connection would be taken now
     */
    public boolean admits(UserId user) {
        return ctx.counters().held(connectionsKey(user)) < engine.settings().maxConnectionsPerUser();
    }

    private static String connectionsKey(UserId user) {
        return "ws:" + user.value();
    }

    private String scope() {
        return ctx.counters().shared() ? " on all nodes together" : " on this node";
    }

    void writerDone(ChatSession session) {
        writing.remove(session);
    }

    int feedCount() {
        return feeds.size();
    }

    /** Builds a {@link SessionHub}. The core and the encoder are required. */
    public static final class Builder {
        private ChatCore core;
        private EventEncoder encoder;
        private SessionSettings settings = SessionSettings.defaults();
        private ScheduledExecutorService scheduler;

        private Builder() {
        }

        /**
         * @param core the use cases and ports sessions work with
         * @return this builder
         */
        public Builder core(ChatCore core) {
            this.core = Objects.requireNonNull(core);
            return this;
        }

        /**
         * @param encoder the wire encoder (the node's {@code ProtocolCodec})
         * @return this builder
         */
        public Builder encoder(EventEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder);
            return this;
        }

        /**
         * @param settings session settings (default {@link SessionSettings#defaults()})
         * @return this builder
         */
        public Builder settings(SessionSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param scheduler a scheduler to share (default: one of the hub's own, stopped by
         *                  {@link SessionHub#shutdown})
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        /** @return the hub, its heartbeat tick scheduled */
        public SessionHub build() {
            Objects.requireNonNull(core, "core is required");
            Objects.requireNonNull(encoder, "encoder is required");
            return new SessionHub(this);
        }
    }
}
