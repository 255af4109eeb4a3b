package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A back end posting through the {@link ChatCore} of a running server reaches its WebSocket clients (the
 * engine's own tests, without a transport, are next to it in {@code parley-engine}).
 */
class EmbeddedCoreTest {
    @Test
    void a_back_end_posts_through_the_servers_core_and_websocket_clients_receive_it() {
        try (TestServer server = TestServer.start(); WsClient agent = server.connect("agent")) {
            ChatCore serverCore = server.server().core();
            User crm = new User(UserId.of("crm"), "CRM bot");
            RoomId room = serverCore.rooms().create(crm, new CreateRoom("Ticket 42", Visibility.PRIVATE,
                    List.of(UserId.of("agent")))).room().id();
            agent.ack("subscribe", "room", "*");

            serverCore.converse().send(crm, SendMessage.of(room, "Ticket #42 was closed"));
            JsonNode received = agent.expect("message");
            assertEquals(room.value(), received.get("room").asText());
            assertEquals("Ticket #42 was closed", received.get("message").get("body").asText());
            assertEquals("crm", received.get("message").get("author").asText());
            assertEquals("CRM bot", received.get("message").get("author_name").asText());

            // A room the back end creates later reaches the inbox subscription too.
            RoomId later = serverCore.rooms().create(crm, new CreateRoom("Ticket 43", Visibility.PRIVATE,
                    List.of())).room().id();
            serverCore.rooms().addMember(crm, later, UserId.of("agent"));
            agent.expect(e -> e.path("type").asText().equals("member_joined")
                    && e.get("room").asText().equals(later.value()));
            serverCore.converse().send(crm, SendMessage.of(later, "Ticket #43 was opened"));
            assertEquals("Ticket #43 was opened", agent.expect(e -> e.path("type").asText().equals("message")
                    && e.get("room").asText().equals(later.value())).get("message").get("body").asText());
        }
    }
}
