package io.parley.adapters.ssepolling;

import io.helidon.webserver.http.HttpRouting;
import io.parley.engine.resumable.ResumableHub;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.util.Objects;

/**
 * Protocol v1 over Server-Sent Events and long-polling, with commands over POST, for clients that cannot
 * keep a WebSocket open: the HTTP side of the engine's resumable sessions ({@link ResumableHub}), which
 * hold the delivery rules, the session records and the fan-out listeners. This adapter parses requests,
 * checks tokens and origins, and writes what the sessions deliver: {@code text/event-stream} by hand, poll
 * answers as JSON, command replies in order. Add {@link #routing} to the Helidon routing; call the hub's
 * {@link ResumableHub#shutdown shutdown} before the server stops, so streams say goodbye ({@code 1001}) and
 * waiting polls answer. Set the listener's {@code write-buffer-size} to 0: streams flush every event anyway,
 * and a stream whose client went away then ends quietly, instead of Helidon retrying the buffered bytes and
 * logging the request line, whose query may hold an access token.
 *
 * <pre>{@code
 * ResumableHub sessions = ResumableHub.builder().core(core).hub(hub).records(records)
 *         .settings(settings.resumable()).build();
 * SsePollingTransport transport = SsePollingTransport.builder()
 *         .sessions(sessions).access(access).codec(codec).settings(settings)
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

    private final ResumableHub sessions;
    private final ProtocolCodec codec;
    private final SsePollingSettings settings;
    private final boolean sse;
    private final boolean longPoll;
    private final HttpExchange http;

    private SsePollingTransport(Builder builder) {
        this.sessions = Objects.requireNonNull(builder.sessions, "sessions are required");
        this.codec = Objects.requireNonNull(builder.codec, "codec is required");
        this.settings = builder.settings;
        this.sse = builder.sse;
        this.longPoll = builder.longPoll;
        this.http = new HttpExchange(Objects.requireNonNull(builder.access, "access is required"), codec);
    }

    /** @return a builder; sessions, access and codec are required */
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
            EventStream events = new EventStream(sessions, http, settings);
            routing.get(EVENTS_PATH, events::serve).options(EVENTS_PATH, http::preflight);
        }
        if (longPoll) {
            LongPoll poll = new LongPoll(sessions, http, settings);
            routing.get(POLL_PATH, poll::serve).options(POLL_PATH, http::preflight);
        }
        if (sse || longPoll) {
            CommandPost commands = new CommandPost(sessions, http, codec, settings);
            routing.post(COMMANDS_PATH, commands::serve).options(COMMANDS_PATH, http::preflight);
        }
    }

    /** Builds an {@link SsePollingTransport}. */
    public static final class Builder {
        private ResumableHub sessions;
        private HttpAccess access;
        private ProtocolCodec codec;
        private SsePollingSettings settings = SsePollingSettings.defaults();
        private boolean sse = true;
        private boolean longPoll = true;

        private Builder() {
        }

        /**
         * @param sessions this node's resumable sessions (built with this transport's
         *                 {@link SsePollingSettings#resumable() settings})
         * @return this builder
         */
        public Builder sessions(ResumableHub sessions) {
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
