package io.parley.bootstrap;

import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.parley.bootstrap.RedisNodes.messageSeqs;
import static io.parley.bootstrap.RedisNodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling restart behind the shipped nginx file: two nodes of one deployment (one store, Redis fan-out) as
 * its upstreams, one of them drained as SIGTERM drains it. While it drains, new WebSockets through nginx land
 * on the other node (nginx moves the upgrade the draining node refuses with 503 to the next upstream); its
 * open sessions keep receiving until the readiness delay ends, then get 1001, reconnect through nginx to the
 * other node and resume by seq: no client loses or repeats a message.
 */
class NginxRollingRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration READINESS_DELAY = Duration.ofSeconds(5);

    @BeforeAll
    static void nginx() {
        Nginx.require();
    }

    @Test
    void draining_one_node_moves_every_client_to_the_other_without_loss() throws Exception {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer draining = nodes.start(Map.of("parley.shutdown.readiness-delay", READINESS_DELAY.toString()));
            TestServer staying = nodes.start();
            int port = Nginx.freePort();
            String config = Nginx.deployConfig(draining.port(), port).replace(
                    "server 127.0.0.1:" + draining.port() + ";",
                    "server 127.0.0.1:" + draining.port() + ";\n    server 127.0.0.1:" + staying.port() + ";");
            try (Nginx nginx = Nginx.start(config, port)) {
                URI ws = URI.create("ws://127.0.0.1:" + port + "/v1/ws");
                List<String> users = List.of("u1", "u2", "u3", "u4");
                String room = staying.createRoom("crm", "Rolling", "open", "u1", "u2", "u3", "u4", "u5", "u6");
                List<WsClient> clients = new ArrayList<>();
                for (String user : users) {
                    WsClient client = WsClient.connect(ws, staying.token(user), TestServer.ORIGIN);
                    client.expect("welcome");
                    client.ack("subscribe", "room", room, "after", 0);
                    clients.add(client);
                }
                List<String> onDraining = usersOn(draining);
                assertFalse(onDraining.isEmpty(), "nginx spread the clients over both nodes: " + onDraining);
                assertFalse(usersOn(staying).isEmpty());

                WsClient sender = WsClient.connect(URI.create("ws://127.0.0.1:" + staying.port() + "/v1/ws"),
                        staying.token("crm"), TestServer.ORIGIN);
                sender.expect("welcome");
                List<Long> sent = new ArrayList<>(send(sender, room, "before-", 3));

                long drainStarted = System.nanoTime();
                // Its own thread, as SIGTERM's hook is: stop() waits out the readiness delay, and the common pool
                // it would otherwise block is the one the JDK's WebSocket client completes its handshakes on.
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(draining::close,
                        runnable -> Thread.ofPlatform().start(runnable));
                RedisNodes.await("draining node not ready", WAIT, () -> nodes.readiness(draining) == 503);

                // New clients arrive through nginx while the node drains: every one gets in, on the other node.
                for (String late : List.of("u5", "u6")) {
                    WsClient client = WsClient.connect(ws, staying.token(late), TestServer.ORIGIN);
                    client.expect("welcome");
                    client.ack("subscribe", "room", room, "after", 0);
                    clients.add(client);
                }
                assertTrue(usersOn(staying).containsAll(List.of("u5", "u6")), "late clients on the other node");
                assertFalse(usersOn(draining).contains("u5") || usersOn(draining).contains("u6"));

                sent.addAll(send(sender, room, "during-", 3));
                for (WsClient client : clients) {
                    client.awaitMatching(e -> e.path("type").asText().equals("message"), sent.size(), WAIT);
                }
                long drainedFor = Duration.ofNanos(System.nanoTime() - drainStarted).toMillis();
                assertTrue(drainedFor < READINESS_DELAY.toMillis(), "the steps above must fit in the readiness delay "
                        + "to show that open sessions carry on meanwhile; they took " + drainedFor + " ms");

                // The drained node's sessions end with 1001; their clients come back through nginx and resume.
                List<WsClient> all = new ArrayList<>(clients);
                for (int i = 0; i < users.size(); i++) {
                    if (onDraining.contains(users.get(i))) {
                        WsClient old = clients.get(i);
                        assertEquals(1001, old.awaitClose(WAIT), users.get(i));
                        long last = messageSeqs(old, room).getLast();
                        sent.addAll(send(sender, room, "gap-" + i + "-", 2)); // missed while away
                        WsClient again = WsClient.connect(ws, staying.token(users.get(i)), TestServer.ORIGIN);
                        again.expect("welcome");
                        again.ack("subscribe", "room", room, "after", last);
                        all.add(again);
                        List<Long> seen = new ArrayList<>(messageSeqs(old, room));
                        again.awaitMatching(e -> e.path("type").asText().equals("message"),
                                (int) sent.stream().filter(seq -> seq > last).count(), WAIT);
                        seen.addAll(messageSeqs(again, room));
                        assertEquals(sent, seen, users.get(i) + ": every message once, in order, across the restart");
                    }
                }
                stopping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(usersOn(staying).containsAll(users), "everyone is on the node that stayed");
                all.forEach(WsClient::abort);
                sender.abort();
                assertTrue(nginx.accessLog().contains("\" 101 "), nginx.accessLog());
            }
        }
    }

    private static List<String> usersOn(TestServer server) {
        return server.server().sessions().sessions().stream().map(s -> s.user().id().value()).toList();
    }
}
