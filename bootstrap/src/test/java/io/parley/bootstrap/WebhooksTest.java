package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks against a real HTTP receiver started by the test: what is posted reaches it once, in room order,
 * signed; a receiver that is down gets everything once it is back; a receiver that hangs does not slow the
 * chat; and with PostgreSQL, a node halted (as a kill -9 would stop it) with deliveries pending leaves them to the
 * next node, which delivers them all.
 */
class WebhooksTest {
    static final String SECRET = "webhook-secret-for-tests";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Receiver receiver = new Receiver();

    @AfterEach
    void stopReceiver() {
        receiver.stop();
    }

    /** Records every delivery; answers with {@link #status} (or hangs). */
    static final class Receiver {
        volatile HttpServer server;
        private int port;
        final List<JsonNode> deliveries = new CopyOnWriteArrayList<>();
        final List<Boolean> signed = new CopyOnWriteArrayList<>();
        volatile int status = 200;
        volatile boolean hang;
        /** How long each delivery takes to be answered. */
        volatile long delayMillis;

        Receiver() {
            server = listen(0);
        }

        private HttpServer listen(int port) {
            HttpServer http;
            try {
                http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/hooks", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    if (hang) {
                        Thread.sleep(60_000);
                    }
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int answer = status;
                if (answer == 200) {
                    deliveries.add(Json.parse(new String(body, StandardCharsets.UTF_8)));
                    signed.add(verify(exchange.getRequestHeaders().getFirst("Parley-Signature"), body));
                }
                exchange.sendResponseHeaders(answer == 200 ? 204 : answer, -1);
                exchange.close();
            });
            http.start();
            return http;
        }

        void stop() {
            if (port == 0) {
                server.stop(0);
            }
        }

        /** Stops listening: deliveries meet a refused connection, as with a receiver that is not running. */
        void down() {
            port = server.getAddress().getPort();
            server.stop(0);
        }

        /** Listens again on the same port. */
        void up() {
            server = listen(port);
            port = 0;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        /** The verification the README shows: HMAC-SHA256 of "t.body", within five minutes. */
        static boolean verify(String header, byte[] body) {
            try {
                Map<String, String> parts = new HashMap<>();
                for (String part : header.split(",")) {
                    String[] kv = part.split("=", 2);
                    parts.put(kv[0], kv[1]);
                }
                long t = Long.parseLong(parts.get("t"));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
                String expected = HexFormat.of().formatHex(mac.doFinal(body));
                return expected.equals(parts.get("v1")) && Math.abs(System.currentTimeMillis() / 1000 - t) < 300;
            } catch (Exception e) {
                return false;
            }
        }

        List<Long> seqs(String room) {
            // the room's events, without the notices to members who are offline (one more per such message)
            return deliveries.stream().filter(d -> d.get("room").asText().equals(room))
                    .filter(d -> !d.get("type").asText().equals("message_unread_offline"))
                    .map(d -> d.get("seq").asLong()).toList();
        }

        void await(String what, java.util.function.BooleanSupplier done) {
            await(what, WAIT, done);
        }

        void await(String what, Duration wait, java.util.function.BooleanSupplier done) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; got " + deliveries);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private Map<String, String> config(Map<String, String> more) {
        Map<String, String> config = new HashMap<>(more);
        config.put("parley.webhooks.url", receiver.url());
        config.put("parley.webhooks.secret", SECRET);
        config.put("parley.webhooks.timeout", "PT1S");
        config.put("parley.webhooks.lease", "PT2S");
        config.put("parley.webhooks.sweep", "PT0.2S");
        return config;
    }

    private static List<Long> upTo(long last) {
        return java.util.stream.LongStream.rangeClosed(1, last).boxed().toList();
    }

    @Test
    void each_event_reaches_the_receiver_once_in_room_order_signed_and_typed() throws InterruptedException {
        try (TestServer server = TestServer.start(config(Map.of()))) {
            String room = server.createRoom("alice", "Deal", "private", "bob");
            try (WsClient alice = server.connect("alice")) {
                for (int i = 0; i < 10; i++) {
                    alice.ack("send", "room", room, "body", "m" + i);
                }
                String id = alice.ack("send", "room", room, "body", "typo").get("message").get("id").asText();
                alice.ack("edit", "room", room, "message_id", id, "body", "fixed");
            }
            receiver.await("13 events", () -> receiver.seqs(room).size() >= 14);
            Thread.sleep(500); // and no more
            assertEquals(upTo(14), receiver.seqs(room), "two joins, eleven posts, an edit: once each, in order");
            assertTrue(receiver.signed.stream().allMatch(ok -> ok), "every delivery is signed");
            JsonNode first = receiver.deliveries.getFirst();
            assertEquals("room_created", first.get("type").asText());
            assertEquals("default:" + room + ":1", first.get("id").asText());
            JsonNode post = receiver.deliveries.get(2);
            assertEquals("message", post.get("type").asText());
            assertEquals("m0", post.get("event").get("message").get("body").asText());
            assertEquals("message_edited", receiver.deliveries.getLast().get("type").asText());
        }
    }

    /**
     * A room's deletion reaches the receiver as its last delivery, after whatever of the room it had been given;
     * events it had not been given when the room was deleted are gone with the room.
     */
    @Test
    void a_deleted_rooms_last_delivery_is_room_deleted() {
        try (TestServer server = TestServer.start(config(Map.of()))) {
            String room = server.createRoom("alice", "Short", "open");
            try (WsClient alice = server.connect("alice")) {
                alice.ack("send", "room", room, "body", "one");
                alice.ack("send", "room", room, "body", "two");
            }
            assertEquals(200, server.rest("DELETE", "/v1/rooms/" + room, "alice", null).statusCode());
            receiver.await("the deletion", () -> receiver.seqs(room).contains(4L));
            List<JsonNode> ofRoom = receiver.deliveries.stream().filter(d -> d.get("room").asText().equals(room))
                    .filter(d -> !d.get("type").asText().equals("message_unread_offline")).toList();
            JsonNode last = ofRoom.getLast();
            assertEquals("room_deleted", last.get("type").asText(), last.toString());
            assertEquals("alice", last.get("event").get("by").asText(), last.toString());
            List<Long> seqs = receiver.seqs(room);
            assertEquals(seqs.stream().sorted().distinct().toList(), seqs, "in order, none twice: " + seqs);
        }
    }

    @Test
    void a_member_who_is_offline_is_told_of_a_waiting_message_once_per_debounce_and_online_members_are_not()
            throws InterruptedException {
        try (TestServer server = TestServer.start(config(Map.of()))) {
            String room = server.createRoom("alice", "Push", "private", "bob", "carol");
            try (WsClient alice = server.connect("alice"); WsClient carol = server.connect("carol")) {
                long first = alice.ack("send", "room", room, "body", "hi @bob", "mentions", List.of("bob"))
                        .get("message").get("seq").asLong();
                long second = alice.ack("send", "room", room, "body", "are you there?").get("message").get("seq")
                        .asLong();
                receiver.await("both messages", () -> receiver.seqs(room).stream().filter(q -> q == second).count() > 0);
                Thread.sleep(500);
                List<JsonNode> unread = receiver.deliveries.stream()
                        .filter(d -> d.get("type").asText().equals("message_unread_offline")).toList();
                assertEquals(1, unread.size(), "bob only (carol is online), once in the debounce window: " + unread);
                JsonNode push = unread.getFirst();
                assertEquals("bob", push.get("user").asText());
                assertTrue(push.get("mentioned").asBoolean());
                assertEquals(first, push.get("seq").asLong());
                assertEquals("default:" + room + ":" + first + ":bob", push.get("id").asText());
                List<String> order = receiver.deliveries.stream().filter(d -> d.get("seq").asLong() == first)
                        .map(d -> d.get("type").asText()).toList();
                assertEquals(List.of("message", "message_unread_offline"), order, "after the message itself");
            }
        }
    }

    /**
     * A receiver that answers 503 for a while, then one that is not running at all for a full minute (refused
     * connections): each time, everything reaches it once it is back, in order, none twice. Retries back off to
     * one a minute, so the catch-up after the minute starts within a minute of the receiver's return.
     */
    @Test
    void a_receiver_that_was_down_for_a_minute_gets_everything_once_it_is_back() throws InterruptedException {
        receiver.status = 503;
        try (TestServer server = TestServer.start(config(Map.of()))) {
            String room = server.createRoom("alice", "Down", "open");
            try (WsClient alice = server.connect("alice")) {
                for (int i = 0; i < 5; i++) {
                    alice.ack("send", "room", room, "body", "while failing " + i);
                }
                sendFor(alice, room, Duration.ofSeconds(3), "still failing");
                receiver.status = 200;
                long answered = alice.ack("send", "room", room, "body", "back").get("message").get("seq").asLong();
                receiver.await("everything after the 503s", () -> receiver.seqs(room).size() >= answered);

                receiver.down();
                sendFor(alice, room, Duration.ofSeconds(61), "while not running");
                receiver.up();
                long last = alice.ack("send", "room", room, "body", "back again").get("message").get("seq").asLong();
                receiver.await("everything after a minute down", Duration.ofSeconds(90),
                        () -> receiver.seqs(room).size() >= last);
                assertEquals(upTo(last), receiver.seqs(room), "in order, nothing lost, nothing twice");
                assertTrue(receiver.signed.stream().allMatch(Boolean::booleanValue), "every delivery signed");
            }
        }
    }

    private static void sendFor(WsClient client, String room, Duration duration, String body)
            throws InterruptedException {
        long since = System.nanoTime();
        while (System.nanoTime() - since < duration.toNanos()) {
            client.ack("send", "room", room, "body", body);
            Thread.sleep(500);
        }
    }

    @Test
    void a_receiver_that_hangs_does_not_slow_the_chat() {
        receiver.hang = true;
        try (TestServer server = TestServer.start(config(Map.of()))) {
            String room = server.createRoom("alice", "Hang", "open", "bob");
            try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
                bob.ack("subscribe", "room", room);
                List<Long> took = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    long start = System.nanoTime();
                    alice.ack("send", "room", room, "body", "m" + i);
                    bob.expect("message");
                    took.add((System.nanoTime() - start) / 1_000_000);
                }
                long worst = took.stream().mapToLong(Long::longValue).max().orElseThrow();
                assertTrue(worst < 500, "send to delivery while the webhook hangs: worst " + worst + " ms, " + took);
            }
        }
    }

    @Test
    void with_postgresql_a_halted_nodes_pending_deliveries_are_made_by_the_next_node() {
        try (TestDatabase db = TestPostgres.createDatabase()) {
            Map<String, String> jdbc = Map.of("parley.store.kind", "jdbc", "parley.store.jdbc.url", db.url(),
                    "parley.store.jdbc.user", db.user(), "parley.store.jdbc.password", db.password());
            String room;
            long last;
            receiver.status = 200;
            TestServer first = TestServer.start(config(jdbc));
            room = first.createRoom("alice", "Durable", "open");
            try (WsClient alice = first.connect("alice")) {
                alice.ack("send", "room", room, "body", "delivered before");
                receiver.await("the first post", () -> receiver.seqs(room).size() >= 2);
                receiver.status = 503; // from here on the receiver fails: deliveries stay pending
                for (int i = 0; i < 5; i++) {
                    alice.ack("send", "room", room, "body", "pending " + i);
                }
                last = alice.ack("send", "room", room, "body", "last").get("message").get("seq").asLong();
            }
            first.server().halt();
            receiver.status = 200;
            try (TestServer second = TestServer.start(config(jdbc))) {
                receiver.await("what the halted node left", () -> receiver.seqs(room).size() >= last);
                assertEquals(upTo(last), receiver.seqs(room), "nothing lost, in order, none twice");
            } finally {
                first.close();
            }
        }
    }
}
