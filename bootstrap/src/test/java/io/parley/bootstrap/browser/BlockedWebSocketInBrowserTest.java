package io.parley.bootstrap.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page behind a proxy that breaks WebSocket: the client falls back to SSE by itself, keeps
 * chatting, and goes back to WebSocket once upgrades work again, without losing or repeating a message.
 */
@RequiresChromium
class BlockedWebSocketInBrowserTest {
    private static DevServer server;
    private static UpgradeBlockingProxy proxy;
    private static String room;
    private static DemoPage alice;

    @BeforeAll
    static void start() {
        server = DevServer.start();
        proxy = UpgradeBlockingProxy.start(server.port());
        room = server.createRoom("alice", "Behind a proxy", "bob");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, proxy, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void the_client_falls_back_to_sse_when_websocket_is_blocked_and_switches_back_when_it_works_again() {
        proxy.mode(UpgradeBlockingProxy.Mode.SWALLOW_FRAMES);
        alice = DemoPage.signIn(Chromium.start(), proxy.base(), "?welcome_timeout=1500&reprobe=1500", "Alice");
        assertEquals("sse", alice.transport(), "an upgrade that delivers no welcome counts as failed");
        assertTrue(proxy.upgrades() >= 1);
        // What the browser itself put in the URL: a single-use ticket, never the access token.
        for (String line : proxy.upgradeRequestLines()) {
            assertTrue(line.startsWith("GET /v1/ws?ticket=") && !line.contains("access_token"), line);
        }
        alice.openRoom("Behind a proxy");

        server.post("bob", room, "bob to alice over sse");
        alice.await("bob's message", p -> p.bodies().equals(List.of("bob to alice over sse")));
        alice.send("alice over sse");
        alice.await("her own message", p -> p.bodies().size() == 2);

        // Upgrades work again: the next probe switches the page to WebSocket.
        proxy.mode(UpgradeBlockingProxy.Mode.PASS);
        alice.awaitTransport("websocket", Duration.ofSeconds(10));
        server.post("bob", room, "bob to alice over websocket");
        alice.send("alice over websocket");

        // A network that refuses upgrades outright: after a drop the client goes straight to SSE...
        proxy.mode(UpgradeBlockingProxy.Mode.REFUSE);
        proxy.dropAll();
        alice.awaitTransport("sse", Duration.ofSeconds(10));
        server.post("bob", room, "bob to alice over sse again");
        // ...and back to WebSocket once they are allowed.
        proxy.mode(UpgradeBlockingProxy.Mode.PASS);
        alice.awaitTransport("websocket", Duration.ofSeconds(10));
        alice.send("alice over websocket again");
        alice.await("six messages", p -> p.messages().size() == 6 && p.pendingCount() == 0);

        List<String> expected = server.history("alice", room).stream()
                .map(m -> m.get("id").asText() + " " + m.get("body").asText()).toList();
        assertEquals(6, expected.size(), expected.toString());
        alice.await("every message once, in order", p -> p.messages().stream()
                .map(m -> m.id() + " " + m.body()).toList().equals(expected));
        List<DemoPage.Shown> shown = alice.messages();
        assertEquals(shown.size(), new HashSet<>(shown.stream().map(DemoPage.Shown::id).toList()).size());
    }
}
