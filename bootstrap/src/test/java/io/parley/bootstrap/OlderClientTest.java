package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client written against protocol v1 as it was before room settings, roles, bans, replies, mentions and
 * reactions (issue 14): it knows the v1 event types and fields only, ignores any other event type as v1
 * tells clients to, and keeps the last seq of every durable event (anything with a room and a seq). The
 * features' events and fields must leave it working: every message it knows parses with its v1 fields, and
 * it resumes without a gap or a duplicate.
 */
class OlderClientTest {
    /** The server events protocol v1 had. */
    private static final Set<String> V1_TYPES = Set.of("welcome", "ack", "error", "message", "message_edited",
            "message_deleted", "member_joined", "member_left", "read", "typing", "presence", "pong");
    /** The fields of a v1 message object. */
    private static final List<String> V1_MESSAGE = List.of("id", "room", "seq", "author", "author_name", "body",
            "attachment_url", "sent_at", "edited_at", "deleted");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_v1_client_ignores_the_new_events_keeps_their_seqs_and_resumes_without_gap_or_duplicate() {
        String room = server.createRoom("olga", "Compat", "open", "v1", "carl");
        String path = "/v1/rooms/" + room;
        List<Long> seen = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        try (WsClient olga = server.connect("olga"); WsClient old = server.connect("v1")) {
            old.ack("subscribe", "room", room, "after", 0);
            String first = olga.ack("send", "room", room, "body", "first").get("message").get("id").asText();
            server.rest("PATCH", path, "olga", "{\"topic\":\"new things\"}");
            server.rest("PUT", path + "/members/carl/role", "olga", "{\"role\":\"admin\"}");
            olga.ack("send", "room", room, "body", "a reply", "reply_to", first, "mentions", List.of("v1"));
            olga.ack("react", "room", room, "message_id", first, "emoji", "👍");
            server.rest("PUT", path + "/bans/carl", "olga", null);
            olga.ack("send", "room", room, "body", "last before the drop");
            readUntil(old, 10, seen, ignored);
        }
        try (WsClient olga = server.connect("olga")) {
            olga.ack("react", "room", room, "message_id",
                    Json.parse(server.rest("GET", path + "/messages?limit=1", "olga", null).body())
                            .get("messages").get(0).get("id").asText(), "emoji", "🎉");
            olga.ack("send", "room", room, "body", "after the drop");
        }
        try (WsClient back = server.connect("v1")) {
            JsonNode ack = back.ack("subscribe", "room", room, "after", seen.getLast());
            assertEquals(2, ack.get("replayed").asLong());
            readUntil(back, 12, seen, ignored);
        }
        assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), seen, "every seq once, in order");
        assertEquals(List.of("room_updated", "role_changed", "reaction_added", "member_banned", "reaction_added"),
                ignored, "the events a v1 client does not know, skipped by type");
    }

    /** Reads events as a v1 client does until it has seen {@code lastSeq}. */
    private static void readUntil(WsClient client, long lastSeq, List<Long> seen, List<String> ignored) {
        while (seen.isEmpty() || seen.getLast() < lastSeq) {
            JsonNode event = client.expect(e -> e.has("seq") && e.has("room"));
            String type = event.get("type").asText();
            if (!V1_TYPES.contains(type)) {
                ignored.add(type);
            } else if (type.equals("message")) {
                for (String field : V1_MESSAGE) {
                    assertTrue(event.get("message").has(field), field + " in " + event);
                }
                assertFalse(event.get("message").get("body").isNull());
            }
            seen.add(event.get("seq").asLong());
        }
    }
}
