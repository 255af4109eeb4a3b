package io.parley.application.session;

import io.parley.application.port.in.Converse;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.application.port.out.TokenVerifier;
import io.parley.application.service.ChatContext;
import io.parley.application.service.PresenceTracker;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * This node's live sessions and the room feeds they share. A node subscribes to a room's fan-out topic
 * when its first local session subscribes to the room and unsubscribes when the last one leaves, so
 * broker traffic follows local interest, not the number of rooms. Heartbeats run on one shared
 * scheduler tick for all sessions.
 */
public final class SessionHub {
    private static final System.Logger LOG = System.getLogger(SessionHub.class.getName());
    private final ChatContext ctx;
    private final ManageRooms rooms;
    private final PresenceTracker presence;
    private final EventEncoder encoder;
    private final SessionSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final CommandHandler commands;
    private final Map<String, ChatSession> sessions = new ConcurrentHashMap<>();
    private final Set<ChatSession> writing = ConcurrentHashMap.newKeySet();
    private final Map<RoomId, RoomFeed> feeds = new ConcurrentHashMap<>();

    private SessionHub(ChatContext ctx, ManageRooms rooms, Converse converse, PresenceTracker presence,
                       EventEncoder encoder, SessionSettings settings, ScheduledExecutorService scheduler) {
        this.ctx = ctx;
        this.rooms = rooms;
        this.presence = presence;
        this.encoder = encoder;
        this.settings = settings;
        this.scheduler = scheduler;
        this.commands = new CommandHandler(rooms, converse, presence, ctx.metrics());
    }

    /**
     * @param ctx       ports
     * @param rooms     room use cases
     * @param converse  message use cases
     * @param presence  presence tracking
     * @param encoder   the wire encoder
     * @param settings  session settings
     * @param scheduler the shared scheduler (heartbeats, gap checks, close timeouts)
     * @return the hub
     */
    public static SessionHub create(ChatContext ctx, ManageRooms rooms, Converse converse, PresenceTracker presence,
                                    EventEncoder encoder, SessionSettings settings,
                                    ScheduledExecutorService scheduler) {
        return new SessionHub(ctx, rooms, converse, presence, encoder, settings, scheduler);
    }

    /**
     * Opens a session for an authenticated client: queues its {@code welcome}, starts its writer and
     * announces its presence (on a worker; a store that fails there does not fail the connection).
     *
     * @param token     the verified token
     * @param transport how the client is connected
     * @param sink      where the session's frames go
     * @return the session
     */
    public ChatSession open(TokenVerifier.VerifiedToken token, TransportKind transport, SessionSink sink) {
        ChatSession session = new ChatSession(ctx.ids().next(), token.user(), token.expiresAt(), transport, sink,
                this);
        sessions.put(session.id(), session);
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
        ServerEvent reply = commands.reply(user, sessionId, subscriptions, command);
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

    /** @return the live sessions of this node */
    public Collection<ChatSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** @return the settings sessions run with */
    public SessionSettings settings() {
        return settings;
    }

    /**
     * Closes every session with {@link CloseReason#GOING_AWAY} (clients reconnect elsewhere and resume)
     * and waits up to {@code timeout} for their writers to flush and send the close frame.
     *
     * @param timeout how long to wait
     */
    public void shutdown(Duration timeout) {
        sessions().forEach(session -> session.close(CloseReason.GOING_AWAY));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!writing.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One heartbeat tick over all sessions; the composition root schedules it about once a second. */
    public void tick() {
        long now = ctx.clock().millis();
        for (ChatSession session : sessions.values()) {
            session.tick(now);
        }
    }

    void attach(ChatSession.Subscription subscription) {
        feeds.compute(subscription.room(), (id, feed) -> {
            RoomFeed current = feed;
            if (current == null) {
                current = new RoomFeed(id, this);
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

    void writerDone(ChatSession session) {
        writing.remove(session);
    }

    int feedCount() {
        return feeds.size();
    }

    RoomLog log() {
        return ctx.log();
    }

    Rooms roomStore() {
        return ctx.rooms();
    }

    ManageRooms rooms() {
        return rooms;
    }

    Fanout fanout() {
        return ctx.fanout();
    }

    Clock clock() {
        return ctx.clock();
    }

    ChatMetrics metrics() {
        return ctx.metrics();
    }

    EventEncoder encoder() {
        return encoder;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    CommandHandler commands() {
        return commands;
    }
}
