package io.parley.engine.resumable;

import io.parley.application.ChatCore;
import io.parley.application.port.in.ManageUsers;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.engine.CloseReason;
import io.parley.engine.CommandBuckets;
import io.parley.engine.Frame;
import io.parley.engine.Phases;
import io.parley.engine.ServerEvent;
import io.parley.engine.SessionHub;
import io.parley.engine.TransportKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's resumable sessions: the engine's second flavour of session, for transports that are not
 * bidirectional or do not hold a connection (SSE and long-poll). A session outlives its connections: its
 * subscriptions live in {@link ResumableSessions} (shared by every node), the client's position in its
 * {@link Cursor}, and news travels through the fan-out; so a stream, a poll or a command may land on any
 * node. The delivery rules are the live sessions' (per-room order through a {@link io.parley.engine.RoomCursor},
 * replay then live, gap fill from the log, dedupe, inbox following, presence dedupe, the command rate),
 * and every fanned-out event is encoded once per node ({@link #frame}).
 *
 * <p>A transport serves one stream or poll like this:
 * <pre>{@code
 * try (ReaderSlot slot = resumable.openPoll()) {
 *     OpenedSession opened = resumable.open(user, cursor);
 *     try (SessionReader reader = resumable.read(opened, user, wait)) {
 *         slot.attach(reader);
 *         List<SessionReader.Delivery> ready = reader.collect(200); // or reader.await(deadline) first
 *         // write resumable.frame(delivery.event()).utf8() for each, then reader.cursor().encode()
 *     }
 * }
 * }</pre>
 * and commands with {@link #commands}. Call {@link #shutdown} before the server stops.
 */
public final class ResumableHub {
    private static final System.Logger LOG = System.getLogger(ResumableHub.class.getName());
    /** A poll's hold is shortened by up to 1/{@value} of its wait. */
    private static final int POLL_SPREAD = 5;

    private final Node node;
    private final Readers readers;
    private final CommandBuckets<String> rates;
    private final SessionDirectory directory;
    private final Liveness liveness;
    private final ScheduledExecutorService scheduler;
    /** The deadline clock on a thread of its own: a slow store in housekeeping must not make waits late. */
    private final ScheduledExecutorService clock;
    private final SessionHub hub;
    private final ManageUsers users;
    private final ResumableSessions records;
    private final Fanout.Subscription nodeSignals;
    private final Phases phases = new Phases();
    private final Phases pollPhases = new Phases();

    private ResumableHub(Builder builder) {
        ChatCore core = Objects.requireNonNull(builder.core, "core is required");
        this.hub = Objects.requireNonNull(builder.hub, "hub is required");
        Duration heartbeat = hub.settings().heartbeat();
        this.node = new Node(core, hub, Objects.requireNonNull(builder.records, "records are required"),
                new TopicListeners(core.context().fanout()), new SharedEncodings(hub.encoder()), builder.settings,
                new Deadlines(heartbeat));
        if (builder.settings.idleExpiry().compareTo(heartbeat.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("idle expiry must exceed two heartbeat intervals");
        }
        this.readers = new Readers(builder.settings.maxStreamsPerUser(), heartbeat, core.context().counters(),
                node.ids()::next);
        this.rates = new CommandBuckets<>(hub.settings().commandsPerSecond(), hub.settings().commandBurst(),
                node.clock()::millis);
        this.directory = new SessionDirectory(node);
        this.liveness = new Liveness(node, node.ids().next());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-resumable").factory());
        long sweep = Math.max(100, heartbeat.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::housekeeping, sweep, sweep, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(readers::watch, 1, 1, TimeUnit.SECONDS);
        long tick = node.deadlines().period().toMillis();
        this.clock = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-deadlines").factory());
        clock.scheduleAtFixedRate(this::wakeDue, tick, tick, TimeUnit.MILLISECONDS);
        this.users = core.users();
        this.records = builder.records;
        this.nodeSignals = core.context().fanout().subscribe(Topic.nodes(), this::onNodeSignal);
    }

    /**
     * The backend ended a user's sessions. A disconnect ends their streams and polls on this node now (a stream
     * with a close event) and expires their session records, so that nothing resumes them (every node does both;
     * expiring a record twice is harmless). A revocation ends the streams and polls of tokens issued before it;
     * the records stay, since every later stream, poll and command shows a token, and an old one is refused.
     */
    private void onNodeSignal(Signal signal) {
        if (signal instanceof Signal.SessionsEnded ended) {
            if (ended.revokedBefore().isPresent()) {
                readers.end(ended.user(), CloseReason.TOKEN_REVOKED, ended.revokedBefore());
            } else {
                readers.end(ended.user(), CloseReason.DISCONNECTED, Optional.empty());
                scheduler.execute(() -> expireSessionsOf(ended.user()));
            }
        }
    }

    private void expireSessionsOf(UserId user) {
        Instant now = node.clock().instant();
        try {
            for (ResumableSession record : records.ofUser(user, now)) {
                records.update(record.id(), r -> r.expiresAt().isAfter(now)
                        ? r.withLiveness(r.liveOn(), r.seenUntil(), now) : r);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sessions of a disconnected user not ended: " + e.getMessage());
        }
    }

    /**
     * @param user     a user
     * @param issuedAt when the token of their stream was issued
     * @return whether that token has been revoked since (a stream checks each heartbeat interval, in case the
     *         signal that ends it at once was lost)
     */
    public boolean revoked(UserId user, Instant issuedAt) {
        return users.revoked(user, issuedAt);
    }

    /** @return a builder; core, hub and records are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return whether this node takes new streams and polls: false while it drains before a restart
     *         ({@link SessionHub#stopAccepting()})
     */
    public boolean accepting() {
        return hub.accepting();
    }

    /**
     * @param user the stream's user
     * @return a slot for an event stream, empty when the user already has the most streams allowed (on every node
     *         together when the core's usage counters are shared)
     */
    public Optional<ReaderSlot> openStream(UserId user) {
        return readers.openStream(user);
    }

    /** @return a slot for a waiting poll (polls are not limited: they end by themselves) */
    public ReaderSlot openPoll() {
        return readers.openPoll();
    }

    /**
     * Resumes the cursor's session when it is the user's and has not expired; otherwise opens a new one (an
     * expired or foreign cursor is not an error: the new {@code welcome} says {@code resumed: false}).
     *
     * @param user   the user
     * @param cursor the client's cursor, if it sent one
     * @return the session
     * @throws ParleyException {@code unavailable} when the session records cannot be reached
     */
    public OpenedSession open(User user, Optional<Cursor> cursor) {
        return directory.openOrResume(user, cursor, node.clock().instant());
    }

    /**
     * @param user      the user
     * @param opened    the session
     * @param transport how it is connected: a resumable transport
     * @return the session's {@code welcome}
     * @throws IllegalArgumentException for a transport that is not resumable (its sessions are live ones)
     */
    public Frame welcome(User user, OpenedSession opened, TransportKind transport) {
        if (!transport.resumable()) {
            throw new IllegalArgumentException(transport.wireName() + " sessions are live: open them with the "
                    + "SessionHub");
        }
        return Frame.encode(new ServerEvent.Welcome(user.id(), opened.id(), transport, node.heartbeat().toMillis(),
                opened.resumed()), node.hub().encoder());
    }

    /**
     * The session is served now (a poll that only answers its {@code welcome}): it is live, and the node
     * announces its presence if no node did.
     *
     * @param opened the session
     * @param user   its user
     */
    public void seen(OpenedSession opened, User user) {
        liveness.seen(opened.record(), user, node.clock().instant());
    }

    /**
     * Starts delivering a session from its cursor: the session counts as live until {@code servedFor} from now
     * (a poll's wait; a stream {@link SessionReader#refresh() refreshes} it once per heartbeat interval).
     *
     * @param opened    the session
     * @param user      its user
     * @param servedFor how long this stream or poll is expected to serve it
     * @return its reader, used by one thread at a time; close it when the stream or poll ends
     */
    public SessionReader read(OpenedSession opened, User user, Duration servedFor) {
        ResumableSession record = liveness.seen(opened.record(), user, node.clock().instant().plus(servedFor))
                .orElse(opened.record());
        return SessionReader.open(node, liveness, user, record, opened.cursor());
    }

    /**
     * A stream ended now: the session counts as gone once it stays away for two heartbeat intervals.
     *
     * @param opened the session
     */
    public void left(OpenedSession opened) {
        liveness.left(opened.record(), node.clock().instant());
    }

    /**
     * @param user    the user sending the commands
     * @param session the session they name
     * @return the batch to run them in; close it after the last
     * @throws ParleyException {@code not_found} when the session does not exist, has expired or is another user's
     */
    public CommandBatch commands(User user, String session) {
        Instant now = node.clock().instant();
        return new CommandBatch(node, liveness, rates, user, directory.forCommands(user, session, now), now);
    }

    /**
     * @param event an event to deliver
     * @return its frame; fanned-out events are encoded once per node and shared by every stream and poll
     */
    public Frame frame(ServerEvent event) {
        return node.encodings().frame(event);
    }

    /** @return the heartbeat interval of every session (the hub's) */
    public Duration heartbeat() {
        return node.heartbeat();
    }

    /**
     * @return how long before its opening a new stream counts its last heartbeat comment and record refresh,
     *         so that streams opened together do not all write and refresh in the same tick
     *         ({@link Phases})
     */
    public Duration heartbeatPhase() {
        return phases.next(node.heartbeat());
    }

    /**
     * How long a long-poll with nothing to deliver is held: its wait, less up to a fifth of it, a share taken
     * per poll from {@link Phases}. Polls that start together (every member's, right after an event in
     * their room answered them all; every client's, after a restart) would otherwise all end together, and
     * their clients all poll again together, once every wait for as long as the room stays quiet.
     *
     * @param wait the wait the poll asked for (capped)
     * @return the time to hold it, in {@code (wait * 4/5, wait]}
     */
    public Duration pollHold(Duration wait) {
        return wait.minusNanos((long) (pollPhases.nextFraction() * wait.toNanos() / POLL_SPREAD));
    }

    /** @return the node's clock */
    public Clock clock() {
        return node.clock();
    }

    /** @return where sessions opened and closed are counted */
    public ChatMetrics metrics() {
        return node.metrics();
    }

    /** @return the streams and polls open on this node */
    public int openReaders() {
        return readers.size();
    }

    /**
     * Asks every stream to end (with {@code 1001}: reconnect to any node and resume) and every waiting poll to
     * answer, waits up to {@code timeout} for them, and stops the housekeeping and the node's topic listeners.
     *
     * @param timeout how long to wait for streams and polls to finish
     */
    public void shutdown(Duration timeout) {
        nodeSignals.close();
        readers.shutdown(timeout);
        scheduler.shutdownNow();
        clock.shutdownNow();
        node.listeners().close();
    }

    private void wakeDue() {
        try {
            node.deadlines().tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "waking waiting readers failed", e);
        }
    }

    private void housekeeping() {
        try {
            liveness.sweep();
            node.listeners().closeIdle(node.settings().maxWait().plusSeconds(5).toNanos());
            rates.forgetIdle(TimeUnit.MINUTES.toMillis(1));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "resumable-session housekeeping failed", e);
        }
    }

    /** Builds a {@link ResumableHub}. */
    public static final class Builder {
        private ChatCore core;
        private SessionHub hub;
        private ResumableSessions records;
        private ResumableSettings settings = ResumableSettings.defaults();

        private Builder() {
        }

        /**
         * @param core this node's chat core
         * @return this builder
         */
        public Builder core(ChatCore core) {
            this.core = Objects.requireNonNull(core);
            return this;
        }

        /**
         * @param hub this node's session hub: commands run through its handler, and its settings (heartbeat,
         *            replay limit, command rate) apply to resumable sessions too
         * @return this builder
         */
        public Builder hub(SessionHub hub) {
            this.hub = Objects.requireNonNull(hub);
            return this;
        }

        /**
         * @param records the session records, shared by every node of the deployment
         * @return this builder
         */
        public Builder records(ResumableSessions records) {
            this.records = Objects.requireNonNull(records);
            return this;
        }

        /**
         * @param settings resumable-session settings (default {@link ResumableSettings#defaults()})
         * @return this builder
         */
        public Builder settings(ResumableSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** @return the hub, with its housekeeping started */
        public ResumableHub build() {
            return new ResumableHub(this);
        }
    }
}
