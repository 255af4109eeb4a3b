package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static io.parley.adapters.ssepolling.Commands.one;
import static io.parley.adapters.ssepolling.Commands.post;
import static io.parley.adapters.ssepolling.Commands.send;
import static io.parley.adapters.ssepolling.Commands.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/commands}: replies in order, the same command semantics as a live session, and
 * subscription changes that reach the stream on another node.
 */
class CommandPostTest {
    private static Cluster cluster;
    private static Cluster.Node a;
    private static Cluster.Node b;

    @BeforeAll
    static void start() {
        cluster = Cluster.of(2);
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String session(Cluster.Node node, String user) {
        Http.Reply open = Http.get(node.uri("/v1/poll"), "t-" + user);
        assertEquals(200, open.status());
        return open.body().get("events").get(0).get("session").asText();
    }

    @Test
    void one_command_or_an_array_gets_its_replies_in_order_with_their_refs() {
        String room = cluster.room("alice", Visibility.OPEN);
        String session = session(a, "alice");

        JsonNode pong = one(a, "alice", session, "{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals("pong", pong.get("type").asText());
        assertEquals("p", pong.get("ref").asText());

        JsonNode replies = post(a, "alice", session, "[{\"type\":\"send\",\"ref\":\"1\",\"room\":\"" + room
                + "\",\"body\":\"hello\",\"client_id\":\"c1\"},{\"type\":\"nonsense\",\"ref\":\"2\"},"
                + "{\"type\":\"leave\",\"ref\":\"3\",\"room\":\"" + room + "\"},"
                + "{\"type\":\"send\",\"ref\":\"4\",\"room\":\"" + room + "\",\"body\":\"hello\",\"client_id\":\"c1\"},"
                + "42]");

        assertEquals(5, replies.size());
        assertEquals("ack", replies.get(0).get("type").asText());
        assertEquals("1", replies.get(0).get("ref").asText());
        assertEquals("hello", replies.get(0).get("message").get("body").asText());
        assertEquals("unknown_type", replies.get(1).get("code").asText());
        assertEquals("2", replies.get(1).get("ref").asText());
        assertEquals("forbidden", replies.get(2).get("code").asText(), "the owner cannot leave");
        assertEquals("4", replies.get(3).get("ref").asText());
        assertEquals(replies.get(0).get("message").get("id"), replies.get(3).get("message").get("id"),
                "a retried send is acked with the original");
        assertEquals("invalid", replies.get(4).get("code").asText());
    }

    @Test
    void the_session_must_exist_and_belong_to_the_caller() {
        String alices = session(a, "alice");
        Http.Reply unknown = Http.post(a.uri("/v1/commands?session=nope"), "t-alice", "{\"type\":\"ping\"}");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.body().get("error").get("code").asText());

        Http.Reply foreign = Http.post(a.uri("/v1/commands?session=" + alices), "t-mallory", "{\"type\":\"ping\"}");
        assertEquals(404, foreign.status(), "another user's session is not confirmed to exist");

        assertEquals(400, Http.post(a.uri("/v1/commands"), "t-alice", "{\"type\":\"ping\"}").status());
        assertEquals(401, Http.post(a.uri("/v1/commands?session=" + alices), "bad", "{\"type\":\"ping\"}").status());
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"ping\"}");
        }
        Http.Reply tooMany = Http.post(a.uri("/v1/commands?session=" + alices), "t-alice", many.append(']').toString());
        assertEquals(413, tooMany.status());
    }

    @Test
    void a_subscribe_posted_to_another_node_reaches_the_stream_with_its_replay_then_live_events() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        long before = send(a, "bob", room, "before");
        try (SseClient sse = SseClient.open(a.uri("/v1/events?access_token=t-alice"), Map.of())) {
            String session = sse.next("welcome").json().get("session").asText();

            JsonNode ack = one(b, "alice", session, "{\"type\":\"subscribe\",\"ref\":\"s\",\"room\":\"" + room
                    + "\",\"after\":" + (before - 1) + "}");
            assertEquals(before, ack.get("last_seq").asLong());
            assertEquals(1, ack.get("replayed").asLong());
            assertTrue(ack.get("complete").asBoolean());

            assertEquals(before, sse.next("message").json().get("seq").asLong(), "the replay, on node A");
            long live = send(b, "bob", room, "live");
            assertEquals(live, sse.next("message").json().get("seq").asLong());

            one(b, "alice", session, "{\"type\":\"unsubscribe\",\"ref\":\"u\",\"room\":\"" + room + "\"}");
            // Ordering witness: typing in a second room is still delivered after the unsubscribe took effect.
            String other = cluster.room("alice", Visibility.OPEN, "bob");
            subscribe(b, "alice", session, other);
            send(a, "bob", room, "not for alice any more");
            long witness = send(a, "bob", other, "witness");
            assertEquals(witness, sse.next(e -> e.type().equals("message")
                    && e.json().get("room").asText().equals(other)).json().get("seq").asLong());
            assertFalse(sse.received().stream().anyMatch(e -> e.data().contains("not for alice any more")));
        }
    }

    @Test
    void typing_presence_and_read_receipts_posted_by_one_user_reach_the_other_users_stream() {
        String room = cluster.room("alice", Visibility.PRIVATE, "bob");
        try (SseClient alice = SseClient.open(a.uri("/v1/events?access_token=t-alice"), Map.of())) {
            String session = alice.next("welcome").json().get("session").asText();
            subscribe(a, "alice", session, room);
            // The stream follows the room once its node has read the changed record: a message shows it does.
            // (Typing and presence before that moment are not replayed; docs/protocol.md says so.)
            long first = send(a, "alice", room, "following?");
            assertEquals(first, alice.next("message").json().get("seq").asLong());
            String bobs = session(b, "bob");
            assertEquals("online", alice.next(e -> e.type().equals("presence")
                    && e.json().get("user").asText().equals("bob")).json().get("status").asText());

            one(b, "bob", bobs, "{\"type\":\"typing\",\"ref\":\"t\",\"room\":\"" + room + "\",\"active\":true}");
            JsonNode typing = alice.next("typing").json();
            assertEquals("bob", typing.get("user").asText());
            assertTrue(typing.get("active").asBoolean());

            long seq = send(a, "alice", room, "read me");
            JsonNode read = one(b, "bob", bobs, "{\"type\":\"read\",\"ref\":\"r\",\"room\":\"" + room + "\",\"seq\":"
                    + seq + "}");
            assertEquals("read", read.get("event").get("type").asText());
            JsonNode receipt = alice.next("read").json();
            assertEquals("bob", receipt.get("user").asText());
            assertEquals(seq, receipt.get("up_to").asLong());

            one(b, "bob", bobs, "{\"type\":\"presence\",\"ref\":\"p\",\"status\":\"away\"}");
            assertEquals("away", alice.next(e -> e.type().equals("presence")
                    && e.json().get("user").asText().equals("bob")).json().get("status").asText());
        }
    }

    @Test
    void an_inbox_follows_a_room_joined_later_from_its_member_joined_event() {
        try (SseClient sse = SseClient.open(a.uri("/v1/events?access_token=t-carol"), Map.of())) {
            String session = sse.next("welcome").json().get("session").asText();
            JsonNode ack = one(b, "carol", session, "{\"type\":\"subscribe\",\"ref\":\"i\",\"room\":\"*\"}");
            assertTrue(ack.has("rooms"));
            String room = cluster.room("alice", Visibility.OPEN);

            JsonNode joined = one(b, "carol", session, "{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
            long joinSeq = joined.get("event").get("seq").asLong();
            JsonNode first = sse.next(e -> e.data().contains(room)).json();
            assertEquals("member_joined", first.get("type").asText());
            assertEquals(joinSeq, first.get("seq").asLong());
            long message = send(a, "alice", room, "welcome carol");
            assertEquals(message, sse.next("message").json().get("seq").asLong());
        }
    }

    @Test
    void an_inbox_follows_a_room_joined_right_after_the_subscribe_though_the_news_of_the_subscribe_is_late() {
        // The stream's node learns that the session became an inbox only after the join was stored and
        // signalled on the user's topic, which it did not listen to yet.
        try (LateSessionSignals late = new LateSessionSignals(InMemoryFanout.create(), Duration.ofMillis(500));
             Cluster slow = Cluster.of(2, late);
             SseClient sse = SseClient.open(slow.node(0).uri("/v1/events?access_token=t-carol"), Map.of())) {
            String session = sse.next("welcome").json().get("session").asText();
            one(slow.node(1), "carol", session, "{\"type\":\"subscribe\",\"ref\":\"i\",\"room\":\"*\"}");
            String room = slow.room("alice", Visibility.OPEN);

            JsonNode joined = one(slow.node(1), "carol", session,
                    "{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");

            JsonNode first = sse.next(e -> e.data().contains(room)).json();
            assertEquals("member_joined", first.get("type").asText());
            assertEquals(joined.get("event").get("seq").asLong(), first.get("seq").asLong());
            long message = send(slow.node(0), "alice", room, "welcome carol");
            assertEquals(message, sse.next("message").json().get("seq").asLong());
        }
    }

    @Test
    void preflights_of_an_allowed_origin_are_answered_and_others_refused() {
        Http.Reply ok = Http.send(HttpRequest.newBuilder(a.uri("/v1/commands"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", Cluster.ORIGIN).header("Access-Control-Request-Method", "POST"));
        assertEquals(204, ok.status());
        assertEquals(Cluster.ORIGIN, ok.raw().headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(ok.raw().headers().firstValue("Access-Control-Allow-Headers").orElseThrow()
                .contains("Last-Event-ID"));
        Http.Reply evil = Http.send(HttpRequest.newBuilder(a.uri("/v1/poll"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example"));
        assertEquals(403, evil.status());
    }
}
