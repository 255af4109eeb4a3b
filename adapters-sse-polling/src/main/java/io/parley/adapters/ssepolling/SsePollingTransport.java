package io.parley.adapters.ssepolling;

import io.helidon.webserver.http.HttpRouting;
import io.parley.application.ChatCore;
import io.parley.application.port.out.ResumableSessions;
import io.parley.engine.SessionHub;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Protocol v1 over Server-Sent Events and long-polling, with commands over POST, for clients that cannot
 * keep a WebSocket open. Sessions outlive their connection and need no sticky routing: their state is in
 * {@link ResumableSessions} (shared by every node), the client's position in its cursor, and changes
 * travel through the fan-out. Add {@link #routing} to the Helidon routing; call {@link #shutdown} before
 * the server stops, so streams say goodbye ({@code 1001}) and waiting polls answer. Set the listener's
 * {@code write-buffer-size} to 0: streams flush every event anyway, and a stream whose client went away then
 * ends quietly, instead of Helidon retrying the buffered bytes and logging the request line, whose query
 * may hold an access token.
 *
 * <pre>{@code
 * SsePollingTransport transport = SsePollingTransport.builder()
 *         .core(core).hub(hub).sessions(records).access(access).codec(codec)
 *         .build();
 * transport.routing(routing);
 * }</pre>
 */
public final class SsePollingTransport {
    /** The SSE endpoint. */
    public static final String EVENTS_PATH = "/v1/events";
    /** The long-poll endpoint. */
    public static final String POLL_PATH = "/v1/poll";
    /** The command endpoint of SSE and long-poll sessions. */
    public static final String COMMANDS_PATH = "/v1/commands";

    private final Node node;
    private final boolean sse;
    private final boolean longPoll;
    private final Readers readers;
    private final CommandRates rates;
    private final HttpExchange http;
    private final SessionDirectory directory;
    private final Liveness liveness;
    private final ScheduledExecutorService scheduler;

    private SsePollingTransport(Builder builder) {
        ChatCore core = Objects.requireNonNull(builder.core, "core is required");
        this.node = new Node(core, Objects.requireNonNull(builder.hub, "hub is required"), Objects.requireNonNull(builder.sessions, "sessions are required"),
                new TopicListeners(core.context().fanout()),
                Objects.requireNonNull(builder.access, "access is required"),
                Objects.requireNonNull(builder.codec, "codec is required"), new SharedEncodings(builder.codec),
                builder.settings);
        Duration heartbeat = node.heartbeat();
        if (builder.settings.idleExpiry().compareTo(heartbeat.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("idle expiry must exceed two heartbeat intervals");
        }
        this.sse = builder.sse;
        this.longPoll = builder.longPoll;
        this.readers = new Readers(builder.settings.maxStreamsPerUser(), heartbeat);
        var sessionSettings = node.hub().settings();
        this.rates = new CommandRates(sessionSettings.commandsPerSecond(), sessionSettings.commandBurst(), node.clock());
        this.http = new HttpExchange(node.access(), node.codec());
        this.directory = new SessionDirectory(node);
        this.liveness = new Liveness(node, node.ids().next());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-sse-polling").factory());
        long sweep = Math.max(100, heartbeat.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::housekeeping, sweep, sweep, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(readers::watch, 1, 1, TimeUnit.SECONDS);
    }

    /** @return a builder; core, hub, sessions, access and codec are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the endpoints: {@value #EVENTS_PATH} (when SSE is on), {@value #POLL_PATH} (when long-poll is
     * on), {@value #COMMANDS_PATH} (when either is), and their CORS preflights.
     *
     * @param routing the server's HTTP routing
     */
    public void routing(HttpRouting.Builder routing) {
        if (sse) {
            EventStream events = new EventStream(node, http, directory, liveness, readers);
            routing.get(EVENTS_PATH, events::serve).options(EVENTS_PATH, http::preflight);
        }
        if (longPoll) {
            LongPoll poll = new LongPoll(node, http, directory, liveness, readers);
            routing.get(POLL_PATH, poll::serve).options(POLL_PATH, http::preflight);
        }
        if (sse || longPoll) {
            CommandPost commands = new CommandPost(node, http, directory, liveness, rates);
            routing.post(COMMANDS_PATH, commands::serve).options(COMMANDS_PATH, http::preflight);
        }
    }

    /**
     * Ends every stream with a {@code close} event (1001: reconnect to any node and resume), answers every
     * waiting poll, waits up to {@code timeout} for them, and stops the transport's housekeeping.
     *
     * @param timeout how long to wait for streams and polls to finish
     */
    public void shutdown(Duration timeout) {
        readers.shutdown(timeout);
        scheduler.shutdownNow();
        node.listeners().close();
    }

    /** @return the streams and polls open on this node */
    public int openReaders() {
        return readers.size();
    }

    private void housekeeping() {
        try {
            liveness.sweep();
            node.listeners().closeIdle(node.settings().maxWait().plusSeconds(5).toNanos());
            rates.forgetIdle(TimeUnit.MINUTES.toMillis(1));
        } catch (RuntimeException e) {
            System.getLogger(SsePollingTransport.class.getName())
                    .log(System.Logger.Level.WARNING, "SSE/long-poll housekeeping failed", e);
        }
    }

    /** Builds an {@link SsePollingTransport}. */
    public static final class Builder {
        private ChatCore core;
        private SessionHub hub;
        private ResumableSessions sessions;
        private HttpAccess access;
        private ProtocolCodec codec;
        private SsePollingSettings settings = SsePollingSettings.defaults();
        private boolean sse = true;
        private boolean longPoll = true;

        private Builder() {
        }

        /**
         * @param core this node's chat core (use cases and ports)
         * @return this builder
         */
        public Builder core(ChatCore core) {
            this.core = Objects.requireNonNull(core);
            return this;
        }

        /**
         * @param hub this node's session hub: commands posted here run through its handler, and its settings
         *            (heartbeat, replay limit, command rate) apply to SSE and long-poll sessions too
         * @return this builder
         */
        public Builder hub(SessionHub hub) {
            this.hub = Objects.requireNonNull(hub);
            return this;
        }

        /**
         * @param sessions the session records, shared by every node of the deployment
         * @return this builder
         */
        public Builder sessions(ResumableSessions sessions) {
            this.sessions = Objects.requireNonNull(sessions);
            return this;
        }

        /**
         * @param access authentication and Origin rules
         * @return this builder
         */
        public Builder access(HttpAccess access) {
            this.access = Objects.requireNonNull(access);
            return this;
        }

        /**
         * @param codec the protocol codec (the same one the core encodes with)
         * @return this builder
         */
        public Builder codec(ProtocolCodec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        /**
         * @param settings transport settings (default {@link SsePollingSettings#defaults()})
         * @return this builder
         */
        public Builder settings(SsePollingSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param enabled whether {@value #EVENTS_PATH} is served (default true)
         * @return this builder
         */
        public Builder sse(boolean enabled) {
            this.sse = enabled;
            return this;
        }

        /**
         * @param enabled whether {@value #POLL_PATH} is served (default true)
         * @return this builder
         */
        public Builder longPoll(boolean enabled) {
            this.longPoll = enabled;
            return this;
        }

        /** @return the transport, with its housekeeping started */
        public SsePollingTransport build() {
            return new SsePollingTransport(this);
        }
    }
}
