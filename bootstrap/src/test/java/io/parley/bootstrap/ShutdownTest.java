package io.parley.bootstrap;

import io.parley.application.port.in.SendMessage;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end over real sockets: a graceful shutdown tells every client to reconnect elsewhere (1001). */
class ShutdownTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void stopping_the_server_closes_every_session_with_1001_well_within_the_drain_timeout() {
        TestServer server = TestServer.start(Map.of("parley.shutdown.drain-timeout", DRAIN_TIMEOUT.toString()));
        List<WsClient> clients = new ArrayList<>();
        WsClient notReading = null;
        try {
            String room = server.createRoom("ann", "Going away", "open", "ben", "cat", "dan");
            for (String user : List.of("ann", "ben", "cat", "dan", "ann")) {
                WsClient client = server.connect(user);
                client.ack("subscribe", "room", room);
                clients.add(client);
            }
            clients.getFirst().ack("send", "room", room, "body", "last words");
            for (WsClient client : clients) {
                client.expect("message");
            }
            // A client that reads nothing still gets its goodbye once it reads.
            notReading = WsClient.connect(server.ws(), server.token("eve"), TestServer.ORIGIN, false);
            // The client sees the upgrade's 101 before the server has opened the session; a stop that came
            // between the two would rightly close it with 1013 (an upgrade that raced the drain), so wait for it.
            RedisNodes.await("a session of eve on the server", Duration.ofSeconds(5), () -> server.server().sessions()
                    .sessions().stream().anyMatch(s -> s.user().id().value().equals("eve")));

            long start = System.nanoTime();
            server.close();
            long stopMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            for (WsClient client : clients) {
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(2)), "close code of " + client.events());
            }
            notReading.request(Long.MAX_VALUE);
            assertEquals(1001, notReading.awaitClose(Duration.ofSeconds(2)));
            assertTrue(stopMillis < DRAIN_TIMEOUT.toMillis() / 2, "stop took " + stopMillis + " ms");
        } finally {
            server.close();
            clients.forEach(WsClient::abort);
            if (notReading != null) {
                notReading.abort();
            }
        }
    }

    @Test
    void a_client_that_is_behind_at_shutdown_gets_everything_queued_and_then_1001_if_it_reads_within_the_drain_timeout()
            throws Exception {
        TestServer server = TestServer.start(Map.of("parley.shutdown.drain-timeout", DRAIN_TIMEOUT.toString()));
        WsClient behind = WsClient.connect(server.ws(), server.token("behind"), TestServer.ORIGIN, false);
        try (WsClient pacer = server.connect("pacer")) {
            String room = server.createRoom("crm", "Backlog", "open", "behind", "pacer");
            behind.sendRaw("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s1\"}");
            behind.request(2);
            behind.expect(e -> "s1".equals(e.path("ref").asText(null)));
            pacer.ack("subscribe", "room", room);
            // About 4 MB: more than the loopback socket buffers take, less than the default queue holds, so the
            // writer of the client that does not read is blocked when the server stops.
            int total = 1_100;
            RoomId roomId = RoomId.of(room);
            for (int i = 1; i <= total; i++) {
                server.server().core().converse().send(User.of("crm"), SendMessage.of(roomId, "x".repeat(3_900)));
                if (i % 100 == 0) {
                    pacer.awaitMatching(e -> e.path("type").asText().equals("message"), i, WsClient.TIMEOUT);
                }
            }
            pacer.awaitMatching(e -> e.path("type").asText().equals("message"), total, WsClient.TIMEOUT);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(1_000); // the client is a second behind when it starts reading again
            assertTrue(!stopping.isDone(), "stop waits for the writer of the client that is behind");
            behind.request(Long.MAX_VALUE);
            assertEquals(1001, behind.awaitClose(DRAIN_TIMEOUT));
            assertEquals(total, behind.durable(room).stream().filter(e -> e.path("type").asText().equals("message"))
                    .count(), "everything queued before the shutdown was flushed");
            stopping.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1001, pacer.awaitClose(Duration.ofSeconds(2)));
        } finally {
            server.close();
            behind.abort();
        }
    }

    @Test
    void a_draining_node_refuses_new_sessions_and_reports_not_ready_while_open_sessions_carry_on_until_1001()
            throws Exception {
        Duration readinessDelay = Duration.ofSeconds(2);
        TestServer server = TestServer.start(Map.of("parley.shutdown.readiness-delay", readinessDelay.toString()));
        try (WsClient open = server.connect("olga")) {
            String room = server.createRoom("crm", "Drain", "open", "olga");
            open.ack("subscribe", "room", room);
            assertEquals(200, server.send(HttpRequest.newBuilder(server.http("/observe/health/ready"))).statusCode());

            long start = System.nanoTime();
            // on a thread of its own, as SIGTERM's hook is (stop() waits out the delay)
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close,
                    runnable -> Thread.ofPlatform().start(runnable));
            awaitStatus(server, "/observe/health/ready", 503);

            assertEquals("HTTP/1.1 503 Service Unavailable", upgradeStatusLine(server, server.token("pete")),
                    "a new WebSocket is refused before the upgrade");
            for (String path : List.of("/v1/events", "/v1/poll?wait=0")) {
                HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.http(path))
                        .header("Authorization", "Bearer " + server.token("pete")));
                assertEquals(503, refused.statusCode(), path + " -> " + refused.body());
                assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null), path);
                assertTrue(refused.body().contains("\"unavailable\""), refused.body());
            }

            // the open session still works during the delay: it receives what is posted
            server.server().core().converse().send(User.of("crm"), SendMessage.of(RoomId.of(room), "still here"));
            open.expect(e -> e.path("type").asText().equals("message")
                    && e.path("message").path("body").asText().equals("still here"));
            assertTrue(!stopping.isDone());

            assertEquals(1001, open.awaitClose(Duration.ofSeconds(5)));
            long closedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(closedAfter >= readinessDelay.toMillis() - 100, "closed after " + closedAfter + " ms");
            stopping.get(5, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    /** Sends a WebSocket upgrade over a plain socket, as a load balancer's client would, and reads the answer's status. */
    private static String upgradeStatusLine(TestServer server, String token) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Origin: " + TestServer.ORIGIN + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static void awaitStatus(TestServer server, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int last;
        do {
            last = server.send(HttpRequest.newBuilder(server.http(path))).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " answered " + last + ", expected " + status);
    }

    @Test
    void clients_told_to_go_away_reconnect_to_another_server() {
        TestServer first = TestServer.start();
        WsClient client = first.connect("ann");
        first.close();
        assertEquals(1001, client.awaitClose(Duration.ofSeconds(2)));

        try (TestServer next = TestServer.start(); WsClient again = next.connect("ann")) {
            assertEquals("pong", again.command("ping").get("type").asText());
            assertTrue(next.server().sessions().sessions().stream()
                    .anyMatch(s -> s.user().id().value().equals("ann")));
        } finally {
            client.abort();
        }
    }
}
