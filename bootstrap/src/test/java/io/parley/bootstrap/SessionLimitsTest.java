package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits per session (issue 12 item 1), over a live and over a resumable session, with their metric. */
class SessionLimitsTest {
    private static final Pattern REFUSED = Pattern.compile(
            "parley_limit_refusals_total\\{[^}]*limit=\"subscriptions_per_session\"[^}]*} ([0-9.]+)");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("parley.sessions.max-subscriptions-per-session", "2"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_websocket_session_subscribes_to_at_most_the_configured_rooms_one_by_one() {
        String[] rooms = rooms("wendy");
        double before = refusals();
        try (WsClient wendy = server.connect("wendy")) {
            wendy.ack("subscribe", "room", rooms[0]);
            wendy.ack("subscribe", "room", rooms[1]);
            JsonNode refused = wendy.command("subscribe", "room", rooms[2]);
            assertEquals("too_large", refused.get("code").asText(), refused.toString());
            assertTrue(refused.get("message").asText().contains("at most 2"), refused.toString());
            wendy.ack("subscribe", "room", rooms[1], "after", 0); // again: not one more
            wendy.ack("unsubscribe", "room", rooms[0]);
            wendy.ack("subscribe", "room", rooms[2]); // a freed place is taken
            assertEquals(1, refusals() - before);
            JsonNode inbox = wendy.ack("subscribe", "room", "*"); // the inbox follows every room, limit or not
            assertEquals(3, inbox.get("rooms").size(), inbox.toString());
        }
    }

    @Test
    void a_long_poll_session_subscribes_to_at_most_the_configured_rooms_one_by_one() {
        String[] rooms = rooms("lena");
        double before = refusals();
        JsonNode open = FallbackTransportsTest.poll(server, "lena", null);
        String session = open.get("events").get(0).get("session").asText();
        for (int i = 0; i < 2; i++) {
            JsonNode ack = FallbackTransportsTest.command(server, "lena", session, subscribe(rooms[i]));
            assertEquals("ack", ack.get("type").asText(), ack.toString());
        }
        JsonNode refused = FallbackTransportsTest.command(server, "lena", session, subscribe(rooms[2]));
        assertEquals("too_large", refused.get("code").asText(), refused.toString());
        assertEquals("ack", FallbackTransportsTest.command(server, "lena", session, subscribe(rooms[0])).get("type").asText());
        FallbackTransportsTest.command(server, "lena", session, "{\"type\":\"unsubscribe\",\"room\":\"" + rooms[0] + "\"}");
        assertEquals("ack", FallbackTransportsTest.command(server, "lena", session, subscribe(rooms[2])).get("type").asText());
        assertEquals(1, refusals() - before);
    }

    private static String[] rooms(String user) {
        return new String[]{server.createRoom(user, "One", "open"), server.createRoom(user, "Two", "open"),
                server.createRoom(user, "Three", "open")};
    }

    private static String subscribe(String room) {
        return "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}";
    }

    private static double refusals() {
        String metrics = server.send(HttpRequest.newBuilder(server.http("/observe/metrics"))).body();
        Matcher m = REFUSED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
