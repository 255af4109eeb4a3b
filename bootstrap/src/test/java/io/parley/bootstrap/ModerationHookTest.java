package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.parley.application.port.out.ChatHooks;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's word filter ({@code parley.moderation}, a {@code before send} decision hook) end to end: over
 * WebSocket and over long-poll's command POSTs a message with a blocked word is answered {@code rejected} and
 * never reaches anyone or the history; with {@code action: mask} it is stored with asterisks.
 */
class ModerationHookTest {

    @Test
    void a_message_with_a_blocked_word_is_rejected_on_every_transport_and_nobody_receives_it() {
        try (TestServer server = TestServer.start(Map.of("parley.moderation.blocked-words", "spam, Scam"))) {
            String room = server.createRoom("alice", "Deal 42", "open", "bob");
            try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
                bob.ack("subscribe", "room", room);
                JsonNode refused = alice.command("send", "room", room, "body", "cheap SPAM here", "client_id", "c1");
                assertEquals("error", refused.get("type").asText());
                assertEquals("rejected", refused.get("code").asText());
                assertEquals(BlockedWords.REASON, refused.get("message").asText());
                JsonNode edit = alice.command("send", "room", room, "body", "a scam!", "client_id", "c2");
                assertEquals("rejected", edit.get("code").asText(), "every word of the list, any case");

                String id = alice.ack("send", "room", room, "body", "spammer and antispam are fine")
                        .get("message").get("id").asText();
                assertEquals("rejected", alice.command("edit", "room", room, "message_id", id,
                        "body", "now spam").get("code").asText(), "an edit is checked as a message is");
                JsonNode first = bob.expect("message");
                assertEquals("spammer and antispam are fine", first.get("message").get("body").asText(),
                        "whole words only, and the refused messages never reached bob");

                // long-poll's commands go through the same use case
                JsonNode opened = FallbackTransportsTest.poll(server, "alice", null);
                String session = opened.get("events").get(0).get("session").asText();
                JsonNode reply = FallbackTransportsTest.command(server, "alice", session,
                        "{\"type\":\"send\",\"ref\":\"p\",\"room\":\"" + room + "\",\"body\":\"spam\"}");
                assertEquals("rejected", reply.get("code").asText());
            }
            JsonNode history = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "bob", null).body());
            assertEquals(1, history.get("messages").size(), history.toString());
        }
    }

    @Test
    void with_the_mask_action_a_blocked_word_is_stored_and_delivered_as_asterisks() {
        try (TestServer server = TestServer.start(Map.of("parley.moderation.blocked-words", "spam",
                "parley.moderation.action", "mask"))) {
            String room = server.createRoom("alice", "Masked", "open", "bob");
            try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
                bob.ack("subscribe", "room", room);
                JsonNode stored = alice.ack("send", "room", room, "body", "no Spam, please").get("message");
                assertEquals("no ****, please", stored.get("body").asText());
                assertEquals("no ****, please", bob.expect("message").get("message").get("body").asText());
            }
        }
    }

    @Test
    void the_list_is_empty_by_default_holds_the_demos_word_in_dev_mode_and_an_unknown_action_stops_the_start() {
        assertEquals(Optional.empty(), BlockedWords.from(config(Map.of()), false));
        BlockedWords dev = BlockedWords.from(config(Map.of()), true).orElseThrow();
        assertInstanceOf(ChatHooks.SendDecision.Reject.class, dev.beforeSend(attempt("spam")));
        assertEquals(Optional.empty(), BlockedWords.from(config(Map.of("blocked-words", "")), true),
                "dev mode with the list emptied on purpose");
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> BlockedWords.from(config(Map.of("blocked-words", "x", "action", "delete")), false));
        assertTrue(wrong.getMessage().contains("reject or mask"), wrong.getMessage());

        BlockedWords words = BlockedWords.of(List.of("c++", "naïve"), true);
        assertEquals(ChatHooks.SendDecision.rewrite("*** and *****"),
                words.beforeSend(attempt("c++ and NAÏVE")), "quoted, not a pattern; any case in any script");
        assertEquals(ChatHooks.SendDecision.ALLOW, words.beforeSend(attempt("naïveté")));
    }

    private static ChatHooks.SendAttempt attempt(String body) {
        return new ChatHooks.SendAttempt(User.of("alice"), RoomId.of("r"), body, Optional.empty());
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }
}
