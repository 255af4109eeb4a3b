package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.in.SendMessage;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSE and long-poll transports as the server wires them (real JWTs, the configured origins): a
 * WebSocket, an SSE and a long-poll user chat together, and on two nodes a command POST, a stream and the
 * polls of one session land on different nodes.
 */
class FallbackTransportsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(TestServer node, String user, String session, String body) {
        return node.send(HttpRequest.newBuilder(node.http("/v1/commands?session=" + session))
                .header("Authorization", "Bearer " + node.token(user))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static JsonNode command(TestServer node, String user, String session, String command) {
        HttpResponse<String> response = post(node, user, session, command);
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body()).get(0);
    }

    static JsonNode poll(TestServer node, String user, String cursor) {
        HttpResponse<String> response = node.send(HttpRequest.newBuilder(node.http("/v1/poll?wait=5"
                        + (cursor == null ? "" : "&cursor=" + cursor)))
                .header("Authorization", "Bearer " + node.token(user)));
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static SseStream sse(TestServer node, String user) {
        return SseStream.open(node.http("/v1/events?access_token=" + node.token(user)),
                Map.of("Origin", TestServer.ORIGIN));
    }

    @Test
    void a_websocket_an_sse_and_a_long_poll_user_exchange_messages() {
        String room = server.createRoom("alice", "Mixed", "private", "bob", "carol");
        try (WsClient alice = server.connect("alice"); SseStream bob = sse(server, "bob")) {
            alice.ack("subscribe", "room", room);
            String bobs = bob.expect("welcome").get("session").asText();
            command(server, "bob", bobs, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            JsonNode carolOpen = poll(server, "carol", null);
            String carols = carolOpen.get("events").get(0).get("session").asText();
            command(server, "carol", carols, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            String cursor = carolOpen.get("cursor").asText();

            long fromAlice = alice.ack("send", "room", room, "body", "from ws").get("message").get("seq").asLong();
            JsonNode fromBob = command(server, "bob", bobs, "{\"type\":\"send\",\"ref\":\"b\",\"room\":\"" + room
                    + "\",\"body\":\"from sse\"}");
            JsonNode fromCarol = command(server, "carol", carols, "{\"type\":\"send\",\"ref\":\"c\",\"room\":\""
                    + room + "\",\"body\":\"from poll\"}");
            long bobSeq = fromBob.get("message").get("seq").asLong();
            long carolSeq = fromCarol.get("message").get("seq").asLong();

            assertEquals("from sse", alice.expect(e -> e.path("type").asText().equals("message")
                    && e.get("seq").asLong() == bobSeq).get("message").get("body").asText());
            assertEquals("from poll", alice.expect(e -> e.path("type").asText().equals("message")
                    && e.get("seq").asLong() == carolSeq).get("message").get("body").asText());
            bob.expect(e -> e.path("seq").asLong() == carolSeq);
            assertEquals(List.of(fromAlice, bobSeq, carolSeq), bob.messageSeqs());

            List<Long> carolGot = new ArrayList<>();
            while (carolGot.size() < 3) {
                JsonNode reply = poll(server, "carol", cursor);
                cursor = reply.get("cursor").asText();
                StreamSupport.stream(reply.get("events").spliterator(), false)
                        .filter(e -> e.path("type").asText().equals("message"))
                        .forEach(e -> carolGot.add(e.get("seq").asLong()));
            }
            assertEquals(List.of(fromAlice, bobSeq, carolSeq), carolGot);
        }
    }

    @Test
    void a_settings_change_reaches_an_sse_and_a_long_poll_subscriber() {
        String room = server.createRoom("alice", "Renamed on every transport", "private", "bob", "carol");
        try (SseStream bob = sse(server, "bob")) {
            String bobs = bob.expect("welcome").get("session").asText();
            command(server, "bob", bobs, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            JsonNode carolOpen = poll(server, "carol", null);
            String carols = carolOpen.get("events").get(0).get("session").asText();
            command(server, "carol", carols, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            String cursor = carolOpen.get("cursor").asText();

            server.rest("PATCH", "/v1/rooms/" + room, "alice", "{\"topic\":\"all transports\"}");

            assertEquals("all transports", bob.expect("room_updated").get("topic").asText());
            JsonNode updated = null;
            while (updated == null) {
                JsonNode reply = poll(server, "carol", cursor);
                cursor = reply.get("cursor").asText();
                updated = StreamSupport.stream(reply.get("events").spliterator(), false)
                        .filter(e -> e.path("type").asText().equals("room_updated")).findFirst().orElse(null);
            }
            assertEquals("all transports", updated.get("topic").asText());
            assertEquals(4, updated.get("seq").asLong());
        }
    }

    @Test
    void a_member_banned_while_on_sse_gets_member_banned_and_nothing_more_from_the_room() throws Exception {
        String room = server.createRoom("alice", "Banned on SSE", "private", "bob");
        try (SseStream bob = sse(server, "bob"); WsClient alice = server.connect("alice")) {
            String bobs = bob.expect("welcome").get("session").asText();
            command(server, "bob", bobs, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            alice.ack("subscribe", "room", room);
            long before = alice.ack("send", "room", room, "body", "before").get("message").get("seq").asLong();
            bob.expect(e -> e.path("seq").asLong() == before);

            server.rest("PUT", "/v1/rooms/" + room + "/bans/bob", "alice", null);
            assertEquals("alice", bob.expect("member_banned").get("by").asText());
            long after = alice.ack("send", "room", room, "body", "after").get("message").get("seq").asLong();
            alice.expect(e -> e.path("seq").asLong() == after);
            Thread.sleep(300); // what the stream would have carried by now
            assertEquals(List.of(before), bob.messageSeqs(), "nothing after the ban");
        }
    }

    @Test
    void the_fallback_endpoints_check_tokens_and_origins_like_the_websocket() {
        try (SseStream none = SseStream.open(server.http("/v1/events"), Map.of());
             SseStream evil = SseStream.open(server.http("/v1/events?access_token=" + server.token("alice")),
                     Map.of("Origin", "https://evil.example"))) {
            assertEquals(401, none.status());
            assertEquals(403, evil.status());
        }
        HttpResponse<String> poll = server.send(HttpRequest.newBuilder(server.http("/v1/poll"))
                .header("Authorization", "Bearer not-a-jwt"));
        assertEquals(401, poll.statusCode());
        assertEquals(404, post(server, "alice", "no-such-session", "{\"type\":\"ping\"}").statusCode());
    }

    @Test
    void a_stream_whose_client_went_away_ends_without_logging_its_access_token() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        CountDownLatch streamEnded = new CountDownLatch(1);
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage() + " " + record.getThrown());
                if (record.getMessage().startsWith("event stream of session")) {
                    streamEnded.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger stream = Logger.getLogger(
                "io.parley.adapters.ssepolling.EventStream");
        Level before = stream.getLevel();
        capture.setLevel(Level.ALL);
        stream.setLevel(Level.FINE);
        root.addHandler(capture);
        try (TestServer own = TestServer.start()) {
            String room = own.createRoom("alice", "Gone", "open");
            String token = own.token("alice");
            SseStream gone = SseStream.open(own.http("/v1/events?access_token=" + token), Map.of());
            String session = gone.expect("welcome").get("session").asText();
            command(own, "alice", session, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
            gone.close();
            // Messages make the stream write until it finds the socket closed.
            for (int i = 0; i < 50 && streamEnded.getCount() > 0; i++) {
                own.server().core().converse().send(User.of("alice"), SendMessage.of(RoomId.of(room), "m" + i));
                streamEnded.await(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(0, streamEnded.getCount(), "the stream noticed its client was gone");
            own.close();
            assertTrue(logged.stream().noneMatch(line -> line.contains(token)), () -> String.join("\n", logged));
        } finally {
            root.removeHandler(capture);
            stream.setLevel(before);
        }
    }

    @Test
    void transports_can_be_switched_off_by_configuration() {
        try (TestServer pollOnly = TestServer.start(Map.of("parley.transports.sse", "false"))) {
            HttpResponse<String> events = pollOnly.send(HttpRequest.newBuilder(pollOnly.http("/v1/events"))
                    .header("Authorization", "Bearer " + pollOnly.token("alice")));
            assertEquals(404, events.statusCode());
            assertEquals("long-poll", poll(pollOnly, "alice", null).get("events").get(0).get("transport").asText());
        }
    }

    @Test
    void a_session_streams_on_one_node_while_its_commands_and_polls_land_on_another() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Across", "private", "bob");
            try (SseStream alice = sse(a, "alice"); WsClient bob = b.connect("bob")) {
                String session = alice.expect("welcome").get("session").asText();
                JsonNode ack = command(b, "alice", session, "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
                assertEquals("ack", ack.get("type").asText());
                long seq = bob.ack("send", "room", room, "body", "across nodes").get("message").get("seq").asLong();
                assertEquals(seq, alice.expect("message").get("seq").asLong());

                // The stream breaks; the browser reconnects with its Last-Event-ID to the other node.
                String lastEventId = alice.lastEventId().orElseThrow();
                alice.close();
                long missed = bob.ack("send", "room", room, "body", "while away").get("message").get("seq").asLong();
                try (SseStream resumed = SseStream.open(b.http("/v1/events?access_token=" + b.token("alice")),
                        Map.of("Last-Event-ID", lastEventId))) {
                    JsonNode welcome = resumed.expect("welcome");
                    assertTrue(welcome.get("resumed").asBoolean());
                    assertEquals(session, welcome.get("session").asText());
                    assertEquals(missed, resumed.expect("message").get("seq").asLong());
                    assertEquals(List.of(missed), resumed.messageSeqs());
                }
            }
            // Polls of one session alternate between the nodes and see every event once.
            JsonNode open = poll(a, "bob", null);
            String bobs = open.get("events").get(0).get("session").asText();
            command(b, "bob", bobs, "{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"after\":0}");
            JsonNode first = poll(b, "bob", open.get("cursor").asText());
            List<Long> replayed = StreamSupport.stream(first.get("events").spliterator(), false)
                    .map(e -> e.path("seq").asLong()).toList();
            assertEquals(LongStream.rangeClosed(1, replayed.getLast()).boxed().toList(), replayed);
            long next = a.server().core().converse().send(User.of("alice"), SendMessage.of(RoomId.of(room), "next"))
                    .message().seq();
            JsonNode more = poll(a, "bob", first.get("cursor").asText());
            assertEquals(List.of(next), StreamSupport.stream(more.get("events").spliterator(), false)
                    .map(e -> e.path("seq").asLong()).toList(), "no event twice, none skipped");
        }
    }
}
