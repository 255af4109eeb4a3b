package io.parley.bootstrap;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.parley.adapters.auth.DevTokens;
import io.parley.adapters.rest.RestApi;
import io.parley.adapters.rest.ServerApi;
import io.parley.adapters.hooks.Webhooks;
import io.parley.adapters.rest.ServerKeys;
import io.parley.adapters.ssepolling.SsePollingSettings;
import io.parley.adapters.ssepolling.SsePollingTransport;
import io.parley.adapters.ws.WebSocketTransport;
import io.parley.application.ChatCore;
import io.parley.application.service.EventFeeds;
import io.parley.application.service.UsageLimits;
import io.parley.domain.ChatLimits;
import io.parley.engine.SessionHub;
import io.parley.engine.TrustedProxies;
import io.parley.engine.resumable.ResumableHub;
import io.parley.engine.SessionSettings;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running Parley server: the core wired to the configured adapters behind Helidon SE. Start one with
 * {@link #start(Map)}; {@link #stop()} closes every session with 1001 first, so clients reconnect to
 * another node and resume.
 */
public final class ParleyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ParleyServer.class.getName());
    /** The listener that serves metrics and health details when {@code parley.observe.port} is set. */
    static final String OBSERVE_SOCKET = "observe";

    private final ChatCore core;
    private final SessionHub sessions;
    private final Infrastructure infrastructure;
    private final WebServer server;
    private final AuthSetup auth;
    private final Duration drainTimeout;
    private final Duration readinessDelay;
    private final Consumer<Duration> drainFallbacks;
    private final ScheduledExecutorService scheduler;
    private final ConnectionCaps caps;

    private ParleyServer(ChatCore core, SessionHub sessions, Infrastructure infrastructure, WebServer server, AuthSetup auth,
                         Duration drainTimeout, Duration readinessDelay, Consumer<Duration> drainFallbacks,
                         ScheduledExecutorService scheduler, ConnectionCaps caps) {
        this.core = core;
        this.sessions = sessions;
        this.infrastructure = infrastructure;
        this.server = server;
        this.auth = auth;
        this.drainTimeout = drainTimeout;
        this.readinessDelay = readinessDelay;
        this.drainFallbacks = drainFallbacks;
        this.scheduler = scheduler;
        this.caps = caps;
    }

    /**
     * Starts a server from {@code application.yaml}, the environment and these overrides.
     *
     * @param overrides configuration keys that win over every other source (e.g. {@code server.port=0})
     * @return the running server
     */
    public static ParleyServer start(Map<String, String> overrides) {
        return start(ParleyConfig.load(overrides));
    }

    /**
     * Starts a server from a configuration.
     *
     * @param config the root configuration (with {@code server} and {@code parley} nodes)
     * @return the running server
     */
    public static ParleyServer start(Config config) {
        Clock clock = Clock.systemUTC();
        Config parley = config.get("parley");
        LogSetup.apply(parley.get("log"));
        AuthSetup auth = AuthSetup.from(parley, clock);
        Infrastructure infrastructure = Infrastructure.from(parley, clock);
        ProtocolCodec codec = ProtocolCodec.create();
        // The server owns the timers of the core and the hub (typing expiry, heartbeats), so that halt() can
        // stop them without the hub saying goodbye to its sessions.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-scheduler").factory());
        boolean dev = parley.get("dev").asBoolean().orElse(false);
        List<Webhooks.Endpoint> webhooks = WebhooksSetup.endpoints(parley.get("webhooks"), dev);
        ChatCore.Builder coreBuilder = ChatCore.builder()
                .feedCursors(infrastructure.feedCursors())
                .feedSettings(WebhooksSetup.feedSettings(parley.get("webhooks")));
        Duration unreadDebounce = WebhooksSetup.unreadDebounce(parley.get("webhooks"));
        var offline = WebhooksSetup.offlineMembers(parley.get("webhooks"), infrastructure.rooms(),
                infrastructure.presence());
        webhooks.forEach(endpoint -> coreBuilder.listener(endpoint.feed(),
                Webhooks.listener(endpoint, codec::encodeEvent, clock, offline, unreadDebounce)));
        ChatCore core = coreBuilder
                .scheduler(scheduler)
                .rooms(infrastructure.rooms())
                .log(infrastructure.log())
                .fanout(infrastructure.fanout())
                .presence(infrastructure.presence())
                .counters(infrastructure.counters())
                .revocations(infrastructure.revocations())
                .clock(clock)
                .limits(limits(parley.get("limits")))
                .usage(usage(parley.get("limits")))
                .metrics(new HelidonChatMetrics(Metrics.globalRegistry()))
                .hooks(HooksSetup.from(parley, clock))
                .build();
        SessionHub sessions = SessionHub.builder()
                .core(core)
                .encoder(codec)
                .settings(sessionSettings(parley.get("sessions")))
                .scheduler(scheduler)
                .build();
        HttpAccess access = HttpAccess.create(auth.verifier(), auth.origins())
                .withTickets(infrastructure.tickets(), clock)
                .withTrustedProxies(trustedProxies(parley.get("http.trusted-proxies")))
                .withTokenCheck(core.users()::checkNotRevoked);
        HttpRouting.Builder routing = HttpRouting.builder();
        Optional<Integer> observePort = parley.get("observe.port").asInt().asOptional();
        if (parley.get("transports.rest").asBoolean().orElse(true)) {
            routing.register("/v1", RestApi.create(core.rooms(), core.converse(), access, codec));
        }
        ServerKeys serverKeys = ServerApiSetup.keys(parley.get("server-api"));
        if (!serverKeys.isEmpty()) {
            routing.register("/v1/server", ServerApi.create(core.rooms(), core.converse(), core.users(),
                    serverKeys, codec, clock, ServerApiSetup.rate(parley.get("server-api"), core.context().counters())));
        }
        Consumer<Duration> drainFallbacks = timeout -> {
        };
        boolean sse = parley.get("transports.sse").asBoolean().orElse(true);
        boolean longPoll = parley.get("transports.long-poll").asBoolean().orElse(true);
        if (sse || longPoll) {
            SsePollingSettings httpSessions = httpSessionSettings(parley.get("http-sessions"));
            ResumableHub resumable = ResumableHub.builder()
                    .core(core).hub(sessions).records(infrastructure.sessions()).settings(httpSessions.resumable())
                    .build();
            SsePollingTransport.builder()
                    .sessions(resumable).access(access).codec(codec).settings(httpSessions)
                    .sse(sse).longPoll(longPoll)
                    .build()
                    .routing(routing);
            drainFallbacks = resumable::shutdown;
        }
        auth.devTokens().ifPresent(tokens -> devTokenEndpoint(routing, tokens, auth.tokenTtl()));
        StaticFiles.register(routing, auth.devTokens().isPresent());
        TicketEndpoint.register(routing, access, codec);
        DiagnosticsEndpoint.register(routing, parley.get("diagnostics").asBoolean().orElse(false));
        WebSocketTransport websocket = null;
        if (parley.get("transports.websocket").asBoolean().orElse(true)) {
            int maxMessageBytes = parley.get("limits.max-message-bytes").asInt().orElse(65536);
            websocket = WebSocketTransport.create(sessions, access, codec, maxMessageBytes);
            websocket.upgradeRequired(routing);
        }
        RequestDeadlines deadlines = new RequestDeadlines(
                parley.get("http.request-head-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                parley.get("http.request-body-timeout").as(Duration.class).orElse(Duration.ofSeconds(30)),
                access.refusals());
        scheduler.scheduleWithFixedDelay(deadlines::sweep, 1, 1, TimeUnit.SECONDS);
        Http1Config http1 = Http1Config.builder()
                .config(config.get("server.protocols.http_1_1"))
                .name("http_1_1")
                .addReceiveListener(deadlines)
                .addSendListener(deadlines.responses())
                .build();
        WsConfig ws = WsConfig.create(config.get("server.protocols.websocket"));
        ConnectionCaps caps = new ConnectionCaps(
                new Http1ConnectionProvider().create(WebServer.DEFAULT_SOCKET_NAME, http1,
                        ProtocolConfigs.create(List.of(http1, ws))),
                connectionCaps(parley.get("http")), access.trustedProxies(), access.refusals());
        caps.onEnded(deadlines::forget);
        scheduler.scheduleWithFixedDelay(caps::sweep, 10, 10, TimeUnit.SECONDS);
        var builder = WebServer.builder()
                .config(config.get("server"))
                // The caps' HTTP/1 selector (WebSocket upgrades included) is the listener's only one: Helidon
                // then hands it every connection without first reading bytes to choose a protocol, as it
                // does with its own when it is alone; no HTTP/1 selector of Helidon's is made beside it.
                .protocolsDiscoverServices(false)
                .protocols(List.of(ws))
                .connectionSelectors(List.of(caps))
                .directHandlers(handlers -> handlers
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, new Http10Refusal(access.refusals()))
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, new AbortedRequests(access.refusals())))
                .addFeature(observe(infrastructure, sessions, core.feeds(), observePort.isPresent()));
        observePort.ifPresent(port -> {
            // Metrics and health details on a port of their own (keep it to your network); the main port keeps
            // the bare liveness and readiness answers a load balancer needs.
            builder.putSocket(OBSERVE_SOCKET, socket -> socket.port(port)
                    .host(parley.get("observe.host").asString().orElse("127.0.0.1")));
            routing.get("/observe/health/live", (req, res) -> health(res, true));
            routing.get("/observe/health/ready", (req, res) -> health(res, ready(infrastructure, sessions)));
        });
        builder.routing(routing);
        if (websocket != null) {
            builder.addRouting(websocket.routing());
        }
        WebServer server = builder.build().start();
        if (!server.isRunning() || server.port() < 0) {
            // Helidon 4.1.2 logs why its listener failed and returns a stopped server: say it, and stop.
            sessions.shutdown(Duration.ZERO);
            core.close();
            scheduler.shutdownNow();
            drainFallbacks.accept(Duration.ZERO);
            infrastructure.close();
            throw listenFailure(config.get("server"));
        }
        if (auth.devTokens().isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "DEV MODE: dev tokens are issued at /v1/dev/token and any origin "
                    + "may connect. Never run dev mode in production.");
        }
        LOG.log(System.Logger.Level.INFO, "Parley listening on port " + server.port());
        Duration drainTimeout = parley.get("shutdown.drain-timeout").as(Duration.class).orElse(Duration.ofSeconds(5));
        Duration readinessDelay = parley.get("shutdown.readiness-delay").as(Duration.class).orElse(Duration.ZERO);
        return new ParleyServer(core, sessions, infrastructure, server, auth, drainTimeout, readinessDelay,
                drainFallbacks, scheduler, caps);
    }

    /** @return the port the server listens on */
    public int port() {
        return server.port();
    }

    /** @return the TCP connections the connection caps count now (each from its handler's start to its end) */
    int openConnections() {
        return caps.open();
    }

    /** @return the port of metrics and health details: {@code parley.observe.port}'s, else the main one */
    public int observePort() {
        int port = server.port(OBSERVE_SOCKET);
        return port > 0 ? port : server.port();
    }

    /** @return the chat core, for embedding code that posts messages or manages rooms directly */
    public ChatCore core() {
        return core;
    }

    /** @return this node's live sessions */
    public SessionHub sessions() {
        return sessions;
    }

    /** @return the dev token issuer, present in dev mode only */
    public Optional<DevTokens> devTokens() {
        return auth.devTokens();
    }

    /**
     * Stops gracefully, for a rolling restart: first the node stops taking new sessions (WebSocket upgrades
     * and SSE streams and polls get 503, the readiness check {@code sessions} goes DOWN) and stays so for
     * {@code shutdown.readiness-delay}, while a load balancer notices and sends new clients elsewhere and
     * open sessions carry on; then it closes every session with 1001 (WebSocket close, SSE {@code close}
     * event; waiting polls answer), waits for the goodbyes, and stops the server and the adapters.
     */
    public void stop() {
        if (!server.isRunning()) {
            return;
        }
        sessions.stopAccepting();
        if (readinessDelay.isPositive()) {
            LOG.log(System.Logger.Level.INFO, "Draining: readiness is DOWN and new sessions are refused; open "
                    + "sessions are closed with 1001 in " + readinessDelay.toMillis() + " ms");
            try {
                Thread.sleep(readinessDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drainFallbacks.accept(drainTimeout);
        sessions.shutdown(drainTimeout);
        core.close();
        scheduler.shutdownNow();
        server.stop();
        infrastructure.close();
        LOG.log(System.Logger.Level.INFO, "Parley stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * For tests: stops this node the way a killed process stops. The adapters go first (Redis sees its
     * connections drop: no more presence refresh, nothing cleaned up), then the server drops every socket
     * without a close frame (clients see 1006); no session is drained. The session hub is not shut down,
     * since that says 1001 to every session, and a socket Helidon has not closed yet would carry it out: only
     * the timers stop, as they would with the process.
     */
    void halt() {
        if (!server.isRunning()) {
            return;
        }
        core.feeds().close(); // its deliveries stop where they are: the claims they held run out by their lease
        infrastructure.close();
        server.stop();
        scheduler.shutdownNow();
        drainFallbacks.accept(Duration.ZERO);
    }

    /** Binds the configured address once more to name why the server could not listen there. */
    private static IllegalStateException listenFailure(Config server) {
        String host = server.get("host").asString().orElse("0.0.0.0");
        int port = server.get("port").asInt().orElse(8080);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            return new IllegalStateException("cannot listen on " + host + ":" + port, e);
        }
        return new IllegalStateException("the server did not start on " + host + ":" + port + " (see the log above)");
    }

    private static UsageLimits usage(Config limits) {
        UsageLimits d = UsageLimits.DEFAULTS;
        return new UsageLimits(limits.get("max-members-per-room").asInt().orElse(d.maxMembersPerRoom()),
                limits.get("rooms-per-user-per-hour").asInt().orElse(d.roomsPerUserPerHour()),
                limits.get("searches-per-user-per-minute").asInt().orElse(d.searchesPerUserPerMinute()));
    }

    private static ChatLimits limits(Config limits) {
        ChatLimits d = ChatLimits.DEFAULTS;
        return new ChatLimits(limits.get("max-body-length").asInt().orElse(d.maxBodyLength()),
                limits.get("max-room-name-length").asInt().orElse(d.maxRoomNameLength()),
                limits.get("max-display-name-length").asInt().orElse(d.maxDisplayNameLength()),
                limits.get("max-attachment-url-length").asInt().orElse(d.maxAttachmentUrlLength()),
                limits.get("max-client-id-length").asInt().orElse(d.maxClientIdLength()));
    }

    private static SessionSettings sessionSettings(Config sessions) {
        SessionSettings d = SessionSettings.defaults();
        return SessionSettings.builder()
                .queueCapacity(sessions.get("queue-capacity").asInt().orElse(d.queueCapacity()))
                .replayLimit(sessions.get("replay-limit").asInt().orElse(d.replayLimit()))
                .heartbeat(sessions.get("heartbeat").as(Duration.class).orElse(d.heartbeat()))
                .closeTimeout(sessions.get("close-timeout").as(Duration.class).orElse(d.closeTimeout()))
                .commandRate(sessions.get("commands-per-second").asInt().orElse(d.commandsPerSecond()),
                        sessions.get("command-burst").asInt().orElse(d.commandBurst()))
                .gapGrace(sessions.get("gap-grace").as(Duration.class).orElse(d.gapGrace()))
                .maxConnectionsPerUser(sessions.get("max-connections-per-user").asInt()
                        .orElse(d.maxConnectionsPerUser()))
                .maxSubscriptionsPerSession(sessions.get("max-subscriptions-per-session").asInt()
                        .orElse(d.maxSubscriptionsPerSession()))
                .userCommandRate(sessions.get("commands-per-second-per-user").asInt()
                                .orElse(d.commandsPerSecondPerUser()),
                        sessions.get("command-burst-per-user").asInt().orElse(d.commandBurstPerUser()))
                .build();
    }

    /** {@code parley.http.max-connections}, {@code max-connections-per-address}, {@code connections-per-second-per-address}. */
    private static ConnectionCaps.Settings connectionCaps(Config http) {
        try {
            return new ConnectionCaps.Settings(http.get("max-connections").asInt().orElse(20_000),
                    http.get("max-connections-per-address").asInt().orElse(500),
                    http.get("connections-per-second-per-address").asInt().orElse(100));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.http connection caps: " + e.getMessage());
        }
    }

    /** {@code parley.http.trusted-proxies}: a list, or comma-separated (PARLEY_TRUSTED_PROXIES). */
    private static TrustedProxies trustedProxies(Config proxies) {
        List<String> ranges = proxies.asList(String.class).orElse(List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .toList();
        try {
            return TrustedProxies.of(ranges);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("parley.http.trusted-proxies (PARLEY_TRUSTED_PROXIES): " + e.getMessage());
        }
    }

    private static SsePollingSettings httpSessionSettings(Config sessions) {
        SsePollingSettings d = SsePollingSettings.defaults();
        return SsePollingSettings.builder()
                .maxStreamsPerUser(sessions.get("max-streams-per-user").asInt().orElse(d.maxStreamsPerUser()))
                .maxSessionsPerUser(sessions.get("max-sessions-per-user").asInt().orElse(d.maxSessionsPerUser()))
                .idleExpiry(sessions.get("idle-expiry").as(Duration.class).orElse(d.idleExpiry()))
                .maxWait(sessions.get("max-wait").as(Duration.class).orElse(d.maxWait()))
                .defaultWait(sessions.get("default-wait").as(Duration.class).orElse(d.defaultWait()))
                .retry(sessions.get("retry").as(Duration.class).orElse(d.retry()))
                .batchSize(sessions.get("batch-size").asInt().orElse(d.batchSize()))
                .maxCommandsPerPost(sessions.get("max-commands-per-post").asInt().orElse(d.maxCommandsPerPost()))
                .build();
    }

    /** Readiness as the health observer computes it: taking sessions, and every probe of the infrastructure up. */
    private static boolean ready(Infrastructure infrastructure, SessionHub sessions) {
        return sessions.accepting() && infrastructure.readiness().stream().allMatch(ParleyServer::up);
    }

    private static boolean up(Infrastructure.Probe probe) {
        try {
            return probe.probe().getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void health(ServerResponse res, boolean up) {
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    private static ObserveFeature observe(Infrastructure infrastructure, SessionHub sessions, EventFeeds feeds,
                                          boolean ownSocket) {
        var health = HealthObserver.builder().details(true)
                .addCheck(() -> HealthCheckResponse.builder().status(true).build(), HealthCheckType.LIVENESS, "server")
                // DOWN while the node drains before a restart: load balancers stop sending it new clients
                .addCheck(() -> HealthCheckResponse.builder().status(sessions.accepting()).build(),
                        HealthCheckType.READINESS, "sessions");
        for (Infrastructure.Probe probe : infrastructure.readiness()) {
            health.addCheck(() -> HealthCheckResponse.builder().status(up(probe)).build(), HealthCheckType.READINESS,
                    probe.name());
        }
        if (!feeds.status().isEmpty()) {
            // Always UP (a failing webhook must not take the node out of the load balancer), with details.
            health.addCheck(() -> {
                var response = HealthCheckResponse.builder().status(true);
                feeds.status().forEach((feed, status) -> response.detail(feed, status.failing()
                        ? "failing since " + status.failingSince() + ": " + status.lastError()
                        : "ok, " + status.delivered() + " delivered"));
                return response.build();
            }, HealthCheckType.LIVENESS, "feeds");
        }
        var observe = ObserveFeature.builder()
                .addObserver(health.build())
                .addObserver(MetricsObserver.create());
        if (ownSocket) {
            observe.sockets(List.of(OBSERVE_SOCKET));
        }
        return observe.build();
    }

    private static void devTokenEndpoint(HttpRouting.Builder routing, DevTokens tokens, Duration ttl) {
        routing.get("/v1/dev/token", (req, res) -> {
            // Dev mode only (this endpoint exists nowhere else): a page on any origin, or the browser console
            // on any page, may fetch a token, as the README's quick start does.
            res.headers().set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            Optional<String> user = req.query().first("user").asOptional().map(String::strip).filter(u -> !u.isEmpty());
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            if (user.isEmpty()) {
                res.status(400).send("{\"error\":{\"code\":\"invalid\",\"message\":\"user is required\"}}");
                return;
            }
            String name = req.query().first("name").asOptional().orElse(user.get());
            String token = tokens.issue(user.get(), name, ttl);
            res.send("{\"user\":" + quote(user.get()) + ",\"token\":" + quote(token) + "}");
        });
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
