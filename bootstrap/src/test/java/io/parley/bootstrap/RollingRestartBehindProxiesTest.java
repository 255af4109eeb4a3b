package io.parley.bootstrap;

import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.parley.bootstrap.RedisNodes.messageSeqs;
import static io.parley.bootstrap.RedisNodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling restart behind each shipped proxy file (nginx, HAProxy, Caddy): two nodes of one deployment (one
 * store, Redis fan-out) as its upstreams, one of them drained as SIGTERM drains it. While it drains, new
 * WebSockets through the proxy land on the other node (nginx and HAProxy move an upgrade the draining node
 * refuses with 503 to the other upstream; behind Caddy, whose health check takes the node out within its
 * interval, a client refused meanwhile connects again); its open sessions keep receiving until the readiness
 * delay ends, then get 1001, reconnect through the proxy to the other node and resume by seq: no client
 * loses or repeats a message.
 */
class RollingRestartBehindProxiesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration READINESS_DELAY = Duration.ofSeconds(6);

    /** A proxy in front of two nodes. */
    private interface TwoNodeProxy extends AutoCloseable {
        String url(String path);

        @Override
        void close();
    }

    @FunctionalInterface
    private interface ProxyStarter {
        TwoNodeProxy start(int first, int second) throws Exception;
    }

    @Test
    void behind_nginx_draining_one_node_moves_every_client_to_the_other_without_loss() throws Exception {
        Nginx.require();
        drain((first, second) -> {
            int port = Nginx.freePort();
            Nginx nginx = Nginx.start(Nginx.deployConfig(first, port).replace("server 127.0.0.1:" + first + ";",
                    "server 127.0.0.1:" + first + ";\n    server 127.0.0.1:" + second + ";"), port);
            return proxy(nginx::url, nginx::close);
        });
    }

    @Test
    void behind_haproxy_draining_one_node_moves_every_client_to_the_other_without_loss() throws Exception {
        drain((first, second) -> local(LocalProxy.haproxy(first, second)));
    }

    @Test
    void behind_caddy_draining_one_node_moves_every_client_to_the_other_without_loss() throws Exception {
        drain((first, second) -> local(LocalProxy.caddy(first, second)));
    }

    private static TwoNodeProxy local(LocalProxy proxy) {
        return proxy(proxy::url, proxy::close);
    }

    private static TwoNodeProxy proxy(UnaryOperator<String> url, Runnable close) {
        return new TwoNodeProxy() {
            @Override
            public String url(String path) {
                return url.apply(path);
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    private static void drain(ProxyStarter starter) throws Exception {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer draining = nodes.start(Map.of("parley.shutdown.readiness-delay", READINESS_DELAY.toString()));
            TestServer staying = nodes.start();
            try (TwoNodeProxy proxy = starter.start(draining.port(), staying.port())) {
                RedisNodes.await("the proxy never found both nodes ready", WAIT, () -> bothReady(proxy));
                URI ws = URI.create(proxy.url("/v1/ws").replace("http://", "ws://"));
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
                assertFalse(onDraining.isEmpty(), "the proxy spread the clients over both nodes: " + onDraining);
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

                // New clients arrive through the proxy while the node drains: every one gets in, on the other node
                // (a client the draining node refused with 503 connects again, as parley.js does).
                for (String late : List.of("u5", "u6")) {
                    WsClient client = connectAgainOn503(ws, staying.token(late));
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

                // The drained node's sessions end with 1001; their clients come back through the proxy and resume.
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
            }
        }
    }

    /** Both nodes answer ready through the proxy (its health checks, where it has them, see them up). */
    private static boolean bothReady(TwoNodeProxy proxy) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(proxy.url("/observe/health/ready")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() != 200) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static WsClient connectAgainOn503(URI ws, String token) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return WsClient.connect(ws, token, TestServer.ORIGIN);
            } catch (IllegalStateException refused) {
                int status = WsClient.refusedStatus(() -> {
                    throw refused;
                });
                if (status != 503 || System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(200);
            }
        }
    }

    private static List<String> usersOn(TestServer server) {
        return server.server().sessions().sessions().stream().map(s -> s.user().id().value()).toList();
    }
}
