package io.parley.bootstrap.browser;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four people in one room, each in their own headless Chromium: two on WebSocket, one forced to long-poll,
 * one forced to SSE. They chat across transports, then live through a server restart.
 */
@RequiresChromium
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FallbackTransportsInBrowserTest {
    private static final String FAST_RECONNECT = "backoff_cap=2000";

    private static DevServer server;
    private static String room;
    private static List<DemoPage> everyone;
    private static DemoPage alice;
    private static DemoPage bob;
    private static DemoPage carol;
    private static DemoPage dave;

    @BeforeAll
    static void start() {
        server = DevServer.start();
        room = server.createRoom("alice", "Mixed", "bob", "carol", "dave");
        everyone = DemoPage.signInAll(server.base(), "Alice?" + FAST_RECONNECT, "Bob?" + FAST_RECONNECT,
                "Carol?transport=poll&" + FAST_RECONNECT, "Dave?transport=sse&" + FAST_RECONNECT);
        alice = everyone.get(0);
        bob = everyone.get(1);
        carol = everyone.get(2);
        dave = everyone.get(3);
        everyone.forEach(page -> page.openRoom("Mixed"));
    }

    @AfterAll
    static void stop() {
        if (everyone != null) {
            everyone.forEach(DemoPage::close);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void long_poll_and_sse_users_exchange_messages_with_websocket_users() {
        assertEquals("websocket", alice.transport());
        assertEquals("websocket", bob.transport());
        assertEquals("poll", carol.transport());
        assertEquals("connected via long-poll", carol.badgeText());
        assertEquals("sse", dave.transport());
        assertEquals("connected via sse", dave.badgeText());

        alice.send("alice on websocket");
        awaitEveryone(List.of("alice on websocket"));
        carol.send("carol on long-poll");
        awaitEveryone(List.of("alice on websocket", "carol on long-poll"));
        dave.send("dave on sse");
        awaitEveryone(List.of("alice on websocket", "carol on long-poll", "dave on sse"));
        bob.send("bob on websocket");
        awaitEveryone(List.of("alice on websocket", "carol on long-poll", "dave on sse", "bob on websocket"));

        // Edits and presence cross transports too.
        dave.edit("dave on sse", "dave on sse (edited)");
        carol.await("dave's edit", p -> p.bodies().contains("dave on sse (edited)"));
        alice.await("carol online", p -> p.presenceOf("carol").equals("online"));
        carol.await("dave online", p -> p.presenceOf("dave").equals("online"));
    }

    @Test
    @Order(2)
    void after_a_server_restart_everyone_reconnects_by_themselves_with_the_same_complete_history() {
        List<String> before = alice.bodies();
        server.restart(() -> {
            everyone.forEach(page -> page.await("noticed the server is gone",
                    p -> !"connected".equals(p.status())));
            // Sent while nothing answers: queued in the client, shown as pending.
            alice.send("alice while the server was down");
            carol.send("carol while the server was down");
            alice.await("pending", p -> p.pendingCount() == 1);
            carol.await("pending", p -> p.pendingCount() == 1);
        });

        alice.awaitTransport("websocket", Duration.ofSeconds(20));
        bob.awaitTransport("websocket", Duration.ofSeconds(20));
        carol.awaitTransport("poll", Duration.ofSeconds(20));
        dave.awaitTransport("sse", Duration.ofSeconds(20));
        alice.await("queued send delivered", p -> p.pendingCount() == 0);
        carol.await("queued send delivered", p -> p.pendingCount() == 0);
        dave.send("dave after the restart");
        dave.await("his message stored", p -> p.pendingCount() == 0 && p.bodies().contains("dave after the restart"));

        List<JsonNode> history = server.history("alice", room);
        List<String> expected = history.stream().map(m -> m.get("id").asText() + " " + m.get("body").asText()).toList();
        assertEquals(before.size() + 3, history.size(), "every message stored once: " + expected);
        assertTrue(expected.stream().anyMatch(m -> m.endsWith(" alice while the server was down")));
        assertTrue(expected.stream().anyMatch(m -> m.endsWith(" carol while the server was down")));
        for (DemoPage page : everyone) {
            page.await("the whole history, in order, once", p -> p.messages().stream()
                    .map(m -> m.id() + " " + m.body()).toList().equals(expected));
            List<DemoPage.Shown> shown = page.messages();
            assertEquals(shown.size(), new HashSet<>(shown.stream().map(DemoPage.Shown::seq).toList()).size());
            for (int i = 1; i < shown.size(); i++) {
                assertTrue(shown.get(i - 1).seq() < shown.get(i).seq(), page.name() + ": ordered by seq");
            }
        }
    }

    private static void awaitEveryone(List<String> bodies) {
        for (DemoPage page : everyone) {
            page.await("messages " + bodies, p -> p.bodies().equals(bodies));
        }
    }
}
