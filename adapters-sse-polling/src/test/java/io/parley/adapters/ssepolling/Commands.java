package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.in.SendMessage;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Posting commands for a session, and messages by other users. */
final class Commands {
    private Commands() {
    }

    /** Posts a body to {@code /v1/commands} and returns the replies (status 200 asserted). */
    static JsonNode post(Cluster.Node node, String user, String session, String body) {
        Http.Reply reply = Http.post(node.uri("/v1/commands?session=" + Http.enc(session)), "t-" + user, body);
        assertEquals(200, reply.status(), () -> String.valueOf(reply.body()));
        return reply.body();
    }

    /** Posts one command and returns its reply. */
    static JsonNode one(Cluster.Node node, String user, String session, String command) {
        JsonNode replies = post(node, user, session, command);
        assertEquals(1, replies.size());
        return replies.get(0);
    }

    static JsonNode subscribe(Cluster.Node node, String user, String session, String room) {
        JsonNode ack = one(node, user, session, "{\"type\":\"subscribe\",\"ref\":\"s\",\"room\":\"" + room + "\"}");
        assertEquals("ack", ack.get("type").asText(), ack::toString);
        return ack;
    }

    /** A message posted directly through the core (as an embedding application, or another transport, would). */
    static long send(Cluster.Node node, String user, String room, String body) {
        return node.core().converse().send(User.of(user), SendMessage.of(RoomId.of(room), body)).message().seq();
    }
}
