package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.out.ResumableSession;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.engine.ConnectionLog;
import io.parley.engine.SessionSettings;
import io.parley.testservices.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.parley.adapters.ssepolling.Commands.one;
import static io.parley.adapters.ssepolling.Commands.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats, limits and the end of sessions, with a short heartbeat (400 ms), two streams per user, a
 * replay limit of 3 and sessions forgotten after 1.5 s without use.
 */
class LifecycleTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(400);
    private static final Duration IDLE_EXPIRY = Duration.ofMillis(1500);
    private static Cluster cluster;
    private static Cluster.Node node;

    @BeforeAll
    static void start() {
        cluster = Cluster.of(1, SessionSettings.builder().heartbeat(HEARTBEAT).replayLimit(3)
                        .commandRate(1000, 1000).build(),
                SsePollingSettings.builder().maxStreamsPerUser(2).maxWait(Duration.ofSeconds(1))
                        .defaultWait(Duration.ofSeconds(1)).retry(Duration.ofMillis(500))
                        .idleExpiry(IDLE_EXPIRY).build());
        node = cluster.node(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void an_idle_stream_gets_a_heartbeat_comment_every_interval() {
        try (SseClient sse = SseClient.open(node.uri("/v1/events?access_token=t-dora"), Map.of())) {
            sse.next("welcome");
            List<Long> comments = sse.comments(3);
            for (int i = 1; i < 3; i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(comments.get(i) - comments.get(i - 1));
                assertTrue(gap >= 300 && gap <= 700, "heartbeat comments " + gap + " ms apart");
            }
        }
    }

    @Test
    void streams_opened_together_write_their_first_comment_spread_over_the_interval() {
        int count = 12;
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                streams.add(SseClient.open(node.uri("/v1/events?access_token=t-storm" + i), Map.of()));
            }
            List<Long> firstAfterWelcome = new ArrayList<>();
            for (SseClient sse : streams) {
                long welcome = sse.next("welcome").atNanos();
                long first = sse.comments(1).getFirst();
                firstAfterWelcome.add(TimeUnit.NANOSECONDS.toMillis(first - welcome));
            }
            // Each stream's phase puts its first comment somewhere in (0, 400 ms]; without phases all twelve
            // would come a whole interval after their welcome, in the same tick of the deadline clock.
            assertTrue(firstAfterWelcome.stream().allMatch(ms -> ms <= HEARTBEAT.toMillis() + 300),
                    "within one interval: " + firstAfterWelcome);
            assertTrue(firstAfterWelcome.stream().filter(ms -> ms < HEARTBEAT.toMillis() * 3 / 4).count() >= count / 4,
                    "spread over the interval: " + firstAfterWelcome);
        } finally {
            streams.forEach(SseClient::close);
        }
    }

    @Test
    void a_user_over_the_stream_limit_gets_429_until_a_stream_closes() {
        SseClient first = SseClient.open(node.uri("/v1/events?access_token=t-erin"), Map.of());
        try (SseClient second = SseClient.open(node.uri("/v1/events?access_token=t-erin"), Map.of())) {
            first.next("welcome");
            second.next("welcome");
            try (SseClient third = SseClient.open(node.uri("/v1/events?access_token=t-erin"), Map.of())) {
                assertEquals(429, third.status());
                assertEquals("rate_limited", third.errorBody().get("error").get("code").asText());
            }
            try (SseClient other = SseClient.open(node.uri("/v1/events?access_token=t-frank"), Map.of())) {
                assertEquals(200, other.status(), "the limit is per user");
            }
            first.close();
            // The server notices the closed stream at its next heartbeat write, then frees the slot.
            SseClient again = reopenWithin(Duration.ofSeconds(5));
            again.close();
        }
    }

    private static SseClient reopenWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SseClient sse = SseClient.open(node.uri("/v1/events?access_token=t-erin"), Map.of());
            if (sse.status() == 200 || System.nanoTime() > deadline) {
                assertEquals(200, sse.status());
                return sse;
            }
            sse.close();
        }
    }

    @Test
    void a_stream_whose_token_expires_ends_with_a_close_event_4001() {
        try (SseClient sse = SseClient.open(node.uri("/v1/events?access_token=t-gina-expiring"), Map.of())) {
            sse.next("welcome");
            SseClient.Event close = sse.next(e -> e.name().equals("close"));
            JsonNode json = close.json();
            assertEquals(4001, json.get("code").asInt());
            assertTrue(json.get("reconnect").asBoolean());
            sse.awaitEnd();
        }
    }

    @Test
    void a_long_poll_session_that_stops_polling_goes_offline_after_two_heartbeats() {
        String room = cluster.room("hank", Visibility.PRIVATE, "ida");
        try (SseClient hank = SseClient.open(node.uri("/v1/events?access_token=t-hank"), Map.of())) {
            String session = hank.next("welcome").json().get("session").asText();
            Commands.subscribe(node, "hank", session, room);
            // A subscription takes effect on the stream when its node has read the session record; presence
            // published before that can be missed (docs/protocol.md, SSE). The stream's reader listens to a
            // room before it reads it, so a message posted now and received means ida's presence will be heard.
            long probe = Commands.send(node, "hank", room, "probe");
            assertEquals(probe, hank.next("message").json().get("seq").asLong());
            LogCapture capture = LogCapture.of(ConnectionLog.LOGGER);
            try {
                Http.Reply ida = Http.get(node.uri("/v1/poll"), "t-ida");
                assertEquals(200, ida.status());
                String idaSession = ida.body().get("events").get(0).get("session").asText();
                assertEquals("online", presenceOf(hank, "ida").get("status").asText());
                long stopped = System.nanoTime();

                assertEquals("offline", presenceOf(hank, "ida").get("status").asText());
                long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
                assertTrue(after >= 2 * HEARTBEAT.toMillis() - 100, "gone only after two heartbeats: " + after);
                assertEquals(PresenceStatus.OFFLINE, cluster.presence().presenceOf(List.of(UserId.of("ida")))
                        .getFirst().status());
                // The connection log has the session's opening poll and its end.
                Map<String, Object> closed = entry(capture, idaSession, "closed");
                assertEquals("silent", closed.get("reason"));
                assertEquals("ida", closed.get("user"));
                Map<String, Object> opened = entry(capture, idaSession, "opened");
                assertEquals("long-poll", opened.get("transport"));
                assertEquals("ida", opened.get("user"));
            } finally {
                capture.close();
            }
        }
    }

    @Test
    void a_session_kept_live_by_a_node_that_vanished_is_released_after_four_heartbeats() {
        String id = "orphan-" + System.nanoTime();
        Instant now = Instant.now();
        cluster.sessions().create(ResumableSession.open(id, UserId.of("nia"), now, now.plusSeconds(60)));
        cluster.sessions().update(id, s -> s.withLiveness(Optional.of("vanished-node"), now,
                s.expiresAt()));
        long start = System.nanoTime();

        while (cluster.sessions().find(id).orElseThrow().live()) {
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10, "released");
            pause();
        }
        long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(after >= 4 * HEARTBEAT.toMillis() - 100, "its own node had time to end it first: " + after);
    }

    @Test
    void a_stream_whose_client_stopped_reading_is_dropped_after_its_writes_stay_blocked_for_two_heartbeats()
            throws Exception {
        String room = cluster.room("olga", Visibility.OPEN);
        try (Socket socket = new Socket("127.0.0.1", node.server().port())) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /v1/events?access_token=t-olga HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String session = null;
            while (session == null) {
                String line = in.readLine();
                if (line.startsWith("data: ")) {
                    session = Json.parse(line.substring(6)).get("session").asText();
                }
            }
            Commands.subscribe(node, "olga", session, room);
            int before = node.resumable().openReaders();
            String body = "x".repeat(3900);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            // The client reads nothing more: the server's writes fill the socket buffers and block.
            while (node.resumable().openReaders() >= before) {
                assertTrue(System.nanoTime() < deadline, "the stalled stream was dropped");
                for (int i = 0; i < 50; i++) {
                    send(node, "olga", room, body);
                }
                pause();
            }
        }
    }

    @Test
    void an_incomplete_replay_pauses_the_room_until_the_client_subscribes_again_after_the_last_seq() {
        String room = cluster.room("jo", Visibility.OPEN, "kim");
        for (int i = 0; i < 4; i++) {
            send(node, "kim", room, "m" + i); // seqs 3..6
        }
        Http.Reply open = Http.get(node.uri("/v1/poll"), "t-jo");
        String session = open.body().get("events").get(0).get("session").asText();
        JsonNode ack = one(node, "jo", session, "{\"type\":\"subscribe\",\"ref\":\"s\",\"room\":\"" + room
                + "\",\"after\":0}");
        assertEquals(6, ack.get("last_seq").asLong());
        assertEquals(3, ack.get("replayed").asLong());
        assertFalse(ack.get("complete").asBoolean());

        Http.Reply first = Http.get(node.uri("/v1/poll?wait=0&cursor=" + open.body().get("cursor").asText()), "t-jo");
        assertEquals(List.of(1L, 2L, 3L), seqs(first.body()));
        Http.Reply paused = Http.get(node.uri("/v1/poll?wait=0&cursor=" + first.body().get("cursor").asText()),
                "t-jo");
        assertEquals(List.of(), seqs(paused.body()), "paused: no gap is ever delivered");

        JsonNode again = one(node, "jo", session, "{\"type\":\"subscribe\",\"ref\":\"s2\",\"room\":\"" + room
                + "\",\"after\":3}");
        assertTrue(again.get("complete").asBoolean());
        Http.Reply rest = Http.get(node.uri("/v1/poll?wait=0&cursor=" + paused.body().get("cursor").asText()),
                "t-jo");
        assertEquals(List.of(4L, 5L, 6L), seqs(rest.body()));
        long live = send(node, "kim", room, "live");
        assertEquals(List.of(live), seqs(Http.get(node.uri("/v1/poll?wait=0&cursor="
                + rest.body().get("cursor").asText()), "t-jo").body()));
    }

    @Test
    void a_session_nobody_uses_is_forgotten_after_its_idle_expiry_and_its_cursor_then_opens_a_new_one() {
        Http.Reply open = Http.get(node.uri("/v1/poll"), "t-mia");
        String session = open.body().get("events").get(0).get("session").asText();
        long start = System.nanoTime();

        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        while (cluster.sessions().find(session).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "the record is removed");
            pause();
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= IDLE_EXPIRY.toMillis() - 100,
                "kept for its idle expiry");

        JsonNode welcome = Http.get(node.uri("/v1/poll?wait=0&cursor=" + open.body().get("cursor").asText()),
                "t-mia").body().get("events").get(0);
        assertEquals("welcome", welcome.get("type").asText());
        assertFalse(welcome.get("resumed").asBoolean());
        assertFalse(welcome.get("session").asText().equals(session));
    }

    @Test
    void shutdown_ends_streams_with_a_close_event_1001_and_answers_waiting_polls() {
        try (Cluster own = Cluster.of(1)) {
            Cluster.Node server = own.node(0);
            try (SseClient sse = SseClient.open(server.uri("/v1/events?access_token=t-lee"), Map.of())) {
                sse.next("welcome");
                Http.Reply open = Http.get(server.uri("/v1/poll"), "t-lee");
                var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> Http.get(
                        server.uri("/v1/poll?wait=20&cursor=" + open.body().get("cursor").asText()), "t-lee"));
                while (server.resumable().openReaders() < 2) {
                    pause();
                }
                long start = System.nanoTime();
                server.resumable().shutdown(Duration.ofSeconds(5));
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                JsonNode close = sse.next(e -> e.name().equals("close")).json();
                assertEquals(1001, close.get("code").asInt());
                assertTrue(close.get("reconnect").asBoolean());
                sse.awaitEnd();
                Http.Reply answered = waiting.join();
                assertEquals(200, answered.status());
                assertEquals(0, answered.body().get("events").size());
                assertTrue(took < 1000, "streams and polls finished at once: " + took + " ms");
            }
        }
    }

    /** Between two checks of a condition that is waited for. */
    private static Map<String, Object> entry(LogCapture capture, String session, String event) {
        return ((ConnectionLog.Entry) capture.await(r -> r.getParameters() != null
                && r.getParameters()[0] instanceof ConnectionLog.Entry e && session.equals(e.fields().get("session"))
                && event.equals(e.fields().get("event")), Duration.ofSeconds(5)).getParameters()[0]).fields();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode presenceOf(SseClient sse, String user) {
        return sse.next(e -> e.type().equals("presence") && e.json().get("user").asText().equals(user)).json();
    }

    private static List<Long> seqs(JsonNode body) {
        return java.util.stream.StreamSupport.stream(body.get("events").spliterator(), false)
                .filter(e -> e.has("seq")).map(e -> e.get("seq").asLong()).toList();
    }
}
