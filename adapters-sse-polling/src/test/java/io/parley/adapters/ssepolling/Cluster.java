package io.parley.adapters.ssepolling;

import io.helidon.webserver.WebServer;
import io.parley.adapters.persistence.memory.InMemoryResumableSessions;
import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.engine.SessionHub;
import io.parley.engine.resumable.ResumableHub;
import io.parley.engine.SessionSettings;
import io.parley.wire.HttpAccess;
import io.parley.wire.ProtocolCodec;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Nodes of one deployment in this JVM: each a Helidon server with its own chat core and transport, all
 * sharing one in-memory store, fan-out, presence registry and session records, as nodes share PostgreSQL
 * and Redis. Tokens are {@code t-<user>}; {@code t-<user>-expiring} expires two seconds after it is checked.
 */
final class Cluster implements AutoCloseable {
    static final String ORIGIN = "https://app.example.com";

    private final InMemoryStore store = InMemoryStore.create();
    private final Fanout fanout;
    private final PresenceRegistry presence = InMemoryPresenceRegistry.create();
    private final ResumableSessions sessions = InMemoryResumableSessions.create();
    private final SessionSettings sessionSettings;
    private final SsePollingSettings settings;
    private final List<Node> nodes = new ArrayList<>();

    private Cluster(SessionSettings sessionSettings, SsePollingSettings settings, Fanout fanout) {
        this.sessionSettings = sessionSettings;
        this.settings = settings;
        this.fanout = fanout;
    }

    static Cluster of(int nodes) {
        return of(nodes, Duration.ofSeconds(25), SsePollingSettings.builder().build());
    }

    /** Nodes sharing this fan-out (e.g. one that delays some signals) instead of a plain in-memory one. */
    static Cluster of(int count, Fanout fanout) {
        return of(count, SessionSettings.builder().commandRate(1000, 1000).build(), SsePollingSettings.builder()
                .build(), fanout);
    }

    static Cluster of(int count, Duration heartbeat, SsePollingSettings settings) {
        return of(count, SessionSettings.builder().heartbeat(heartbeat).commandRate(1000, 1000).build(), settings);
    }

    static Cluster of(int count, SessionSettings sessionSettings, SsePollingSettings settings) {
        return of(count, sessionSettings, settings, InMemoryFanout.create());
    }

    private static Cluster of(int count, SessionSettings sessionSettings, SsePollingSettings settings,
                              Fanout fanout) {
        Cluster cluster = new Cluster(sessionSettings, settings, fanout);
        for (int i = 0; i < count; i++) {
            cluster.nodes.add(cluster.startNode());
        }
        return cluster;
    }

    /** One node: a server, its core, its session hub and its resumable sessions. */
    record Node(WebServer server, ChatCore core, SessionHub hub, ResumableHub resumable) {
        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
        }
    }

    Node node(int index) {
        return nodes.get(index);
    }

    PresenceRegistry presence() {
        return presence;
    }

    ResumableSessions sessions() {
        return sessions;
    }

    /** Creates a room owned by {@code owner} with these other members and returns its id. */
    String room(String owner, Visibility visibility, String... members) {
        return node(0).core().rooms().create(User.of(owner), new CreateRoom("Room", visibility,
                Arrays.stream(members).map(UserId::of).toList())).room().id().value();
    }

    private Node startNode() {
        ProtocolCodec codec = ProtocolCodec.create();
        ChatCore core = ChatCore.builder()
                .rooms(store.rooms()).log(store.log()).fanout(fanout).presence(presence)
                .build();
        SessionHub hub = SessionHub.builder().core(core).encoder(codec).settings(sessionSettings).build();
        HttpAccess access = HttpAccess.create(Cluster::verify, List.of(ORIGIN));
        ResumableHub resumable = ResumableHub.builder().core(core).hub(hub).records(sessions)
                .settings(settings.resumable()).build();
        SsePollingTransport transport = SsePollingTransport.builder()
                .sessions(resumable).access(access).codec(codec).settings(settings)
                .build();
        WebServer server = WebServer.builder()
                .host("127.0.0.1").port(0).shutdownHook(false).writeBufferSize(0)
                .routing(transport::routing)
                .build().start();
        return new Node(server, core, hub, resumable);
    }

    private static TokenVerifier.VerifiedToken verify(String token) {
        if (!token.startsWith("t-") || token.length() < 3) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "invalid token");
        }
        String user = token.substring(2);
        Instant expires = Instant.MAX;
        if (user.endsWith("-expiring")) {
            user = user.substring(0, user.length() - "-expiring".length());
            expires = Instant.now().plusSeconds(2);
        }
        return new TokenVerifier.VerifiedToken(User.of(user), expires);
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.resumable().shutdown(Duration.ofSeconds(2));
            node.server().stop();
            node.hub().shutdown(Duration.ofSeconds(1));
            node.core().close();
        }
    }
}
