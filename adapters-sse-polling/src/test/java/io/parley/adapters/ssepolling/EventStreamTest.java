package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.domain.Visibility;
import io.parley.engine.resumable.Cursor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.parley.adapters.ssepolling.Commands.send;
import static io.parley.adapters.ssepolling.Commands.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /v1/events} over real sockets: the stream's format, live events and resume. */
class EventStreamTest {
    private static Cluster cluster;
    private static Cluster.Node node;

    @BeforeAll
    static void start() {
        cluster = Cluster.of(1);
        node = cluster.node(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static SseClient open(String user) {
        return SseClient.open(node.uri("/v1/events?access_token=t-" + user), Map.of());
    }

    @Test
    void a_stream_starts_with_retry_and_a_welcome_that_carries_a_cursor_id() {
        try (SseClient sse = open("alice")) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream", sse.response().headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", sse.response().headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("no", sse.response().headers().firstValue("X-Accel-Buffering").orElseThrow());

            SseClient.Event welcome = sse.next("welcome");
            JsonNode json = welcome.json();
            assertEquals("alice", json.get("user").asText());
            assertEquals("sse", json.get("transport").asText());
            assertFalse(json.get("resumed").asBoolean());
            assertEquals(25000, json.get("heartbeat_ms").asLong());
            assertTrue(welcome.id().isPresent(), "the welcome carries the first cursor");
            assertEquals(List.of(2000L), sse.retries());
        }
    }

    @Test
    void events_of_a_room_subscribed_by_a_post_arrive_live_each_with_a_new_cursor_id() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        try (SseClient sse = open("alice")) {
            SseClient.Event welcome = sse.next("welcome");
            String session = welcome.json().get("session").asText();
            JsonNode ack = subscribe(node, "alice", session, room);
            assertEquals(2, ack.get("last_seq").asLong());
            assertEquals(0, ack.get("replayed").asLong());

            long first = send(node, "bob", room, "one");
            long second = send(node, "bob", room, "two");

            SseClient.Event one = sse.next("message");
            SseClient.Event two = sse.next("message");
            assertEquals(first, one.json().get("seq").asLong());
            assertEquals("one", one.json().get("message").get("body").asText());
            assertEquals(second, two.json().get("seq").asLong());
            assertNotEquals(welcome.id(), one.id());
            assertNotEquals(one.id(), two.id());
        }
    }

    @Test
    void the_browsers_reconnect_with_last_event_id_resumes_the_session_with_exactly_the_missed_events() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        String session;
        String lastEventId;
        long seen;
        try (SseClient sse = open("alice")) {
            session = sse.next("welcome").json().get("session").asText();
            subscribe(node, "alice", session, room);
            seen = send(node, "bob", room, "seen");
            assertEquals(seen, sse.next("message").json().get("seq").asLong());
            lastEventId = sse.lastEventId().orElseThrow();
        }
        long missed1 = send(node, "bob", room, "missed 1");
        long missed2 = send(node, "bob", room, "missed 2");

        try (SseClient resumed = SseClient.open(node.uri("/v1/events?access_token=t-alice"),
                Map.of("Last-Event-ID", lastEventId))) {
            JsonNode welcome = resumed.next("welcome").json();
            assertTrue(welcome.get("resumed").asBoolean());
            assertEquals(session, welcome.get("session").asText());
            long live = send(node, "bob", room, "live");
            resumed.next(e -> e.type().equals("message") && e.json().get("seq").asLong() == live);

            assertEquals(List.of(missed1, missed2, live), messageSeqs(resumed));
        }
    }

    @Test
    void resuming_with_the_cursor_parameter_works_and_last_event_id_wins_over_it() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        String early;
        String late;
        try (SseClient sse = open("alice")) {
            String session = sse.next("welcome").json().get("session").asText();
            subscribe(node, "alice", session, room);
            send(node, "bob", room, "first");
            sse.next("message");
            early = sse.lastEventId().orElseThrow();
            send(node, "bob", room, "second");
            sse.next("message");
            late = sse.lastEventId().orElseThrow();
        }
        long third = send(node, "bob", room, "third");

        try (SseClient byParam = SseClient.open(node.uri("/v1/events?access_token=t-alice&cursor=" + late), Map.of())) {
            assertTrue(byParam.next("welcome").json().get("resumed").asBoolean());
            assertEquals(third, byParam.next("message").json().get("seq").asLong());
        }
        // The URL keeps the cursor it was created with; the browser's header is newer and wins.
        try (SseClient both = SseClient.open(node.uri("/v1/events?access_token=t-alice&cursor=" + early),
                Map.of("Last-Event-ID", late))) {
            assertTrue(both.next("welcome").json().get("resumed").asBoolean());
            assertEquals(third, both.next("message").json().get("seq").asLong());
        }
    }

    @Test
    void a_cursor_of_a_session_that_is_gone_or_another_users_opens_a_new_session() {
        String bobs;
        try (SseClient bob = open("bob")) {
            bob.next("welcome");
            bobs = bob.lastEventId().orElseThrow();
        }
        try (SseClient alice = SseClient.open(node.uri("/v1/events?access_token=t-alice"),
                Map.of("Last-Event-ID", bobs))) {
            JsonNode welcome = alice.next("welcome").json();
            assertFalse(welcome.get("resumed").asBoolean());
            assertEquals("alice", welcome.get("user").asText());
        }
        String unknown = Cursor.start("no-such-session").encode();
        try (SseClient alice = SseClient.open(node.uri("/v1/events?access_token=t-alice&cursor=" + unknown),
                Map.of())) {
            assertFalse(alice.next("welcome").json().get("resumed").asBoolean());
        }
    }

    @Test
    void a_cursor_that_is_not_one_is_refused_with_400() {
        try (SseClient sse = SseClient.open(node.uri("/v1/events?access_token=t-alice&cursor=%25%25garbage"),
                Map.of())) {
            assertEquals(400, sse.status());
            assertEquals("invalid", sse.errorBody().get("error").get("code").asText());
        }
    }

    @Test
    void a_stream_without_a_valid_token_is_refused_with_401_and_a_foreign_origin_with_403() {
        try (SseClient none = SseClient.open(node.uri("/v1/events"), Map.of())) {
            assertEquals(401, none.status());
            assertEquals("unauthorized", none.errorBody().get("error").get("code").asText());
            assertEquals("Bearer", none.response().headers().firstValue("WWW-Authenticate").orElseThrow());
        }
        try (SseClient bad = SseClient.open(node.uri("/v1/events?access_token=nope"), Map.of())) {
            assertEquals(401, bad.status());
        }
        try (SseClient evil = SseClient.open(node.uri("/v1/events?access_token=t-alice"),
                Map.of("Origin", "https://evil.example"))) {
            assertEquals(403, evil.status());
            assertEquals("forbidden", evil.errorBody().get("error").get("code").asText());
        }
        try (SseClient app = SseClient.open(node.uri("/v1/events"), Map.of("Origin", Cluster.ORIGIN,
                "Authorization", "Bearer t-alice"))) {
            assertEquals(200, app.status());
            assertEquals(Cluster.ORIGIN, app.response().headers().firstValue("Access-Control-Allow-Origin")
                    .orElseThrow());
        }
    }

    static List<Long> messageSeqs(SseClient sse) {
        return sse.received().stream().filter(e -> e.type().equals("message"))
                .map(e -> e.json().get("seq").asLong()).toList();
    }
}
