package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits per session (issue 12 item 1), over a live and over a resumable session, with their metric. */
class SessionLimitsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("parley.sessions.max-subscriptions-per-session", "2",
                "parley.http-sessions.max-sessions-per-user", "2"));
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

    @Test
    void a_third_long_poll_session_of_a_user_capped_at_two_ends_the_one_used_longest_ago() throws Exception {
        double before = refusals("sessions_per_user");
        String first = pollNow("pia", null).get("cursor").asText();
        Thread.sleep(20);
        String second = pollNow("pia", null).get("cursor").asText();
        Thread.sleep(20);
        String third = pollNow("pia", null).get("cursor").asText();

        JsonNode again = pollNow("pia", first).get("events");
        assertEquals("welcome", again.get(0).get("type").asText(), again.toString());
        assertFalse(again.get(0).get("resumed").asBoolean(), "the first session ended: " + again);
        // That was a fourth session: the second, now the one used longest ago, ended with it.
        JsonNode resumed = pollNow("pia", third).get("events");
        assertTrue(resumed.isEmpty(), "the third resumes: no new welcome " + resumed);
        assertFalse(pollNow("pia", second).get("events").get(0).get("resumed").asBoolean());
        assertTrue(refusals("sessions_per_user") - before >= 3, "one count per session ended");
    }

    @Test
    void a_users_websocket_and_long_poll_sessions_share_one_command_rate() {
        try (TestServer capped = TestServer.start(Map.of("parley.sessions.commands-per-second-per-user", "1",
                "parley.sessions.command-burst-per-user", "3"));
             WsClient ws = capped.connect("yuri")) {
            for (int i = 0; i < 3; i++) {
                assertEquals("pong", ws.command("ping").get("type").asText());
            }
            JsonNode open = FallbackTransportsTest.poll(capped, "yuri", null);
            String session = open.get("events").get(0).get("session").asText();
            JsonNode refused = FallbackTransportsTest.command(capped, "yuri", session, "{\"type\":\"ping\",\"ref\":\"p\"}");
            assertEquals("rate_limited", refused.get("code").asText(), refused.toString());
            assertTrue(refused.get("message").asText().contains("sessions together"), refused.toString());
            assertEquals("pong", FallbackTransportsTest.command(capped, "zoe", FallbackTransportsTest.poll(capped, "zoe",
                    null).get("events").get(0).get("session").asText(), "{\"type\":\"ping\"}").get("type").asText(),
                    "another user is not charged");
            assertEquals("rate_limited", ws.command("ping").get("code").asText());
        }
    }

    /** A poll that answers at once: a new session's welcome, or what a resumed one has (nothing here). */
    private static JsonNode pollNow(String user, String cursor) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http("/v1/poll?wait=0"
                        + (cursor == null ? "" : "&cursor=" + cursor)))
                .header("Authorization", "Bearer " + server.token(user)));
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static String[] rooms(String user) {
        return new String[]{server.createRoom(user, "One", "open"), server.createRoom(user, "Two", "open"),
                server.createRoom(user, "Three", "open")};
    }

    private static String subscribe(String room) {
        return "{\"type\":\"subscribe\",\"room\":\"" + room + "\"}";
    }

    private static double refusals() {
        return refusals("subscriptions_per_session");
    }

    private static double refusals(String limit) {
        String metrics = server.send(HttpRequest.newBuilder(server.http("/observe/metrics"))).body();
        Matcher m = Pattern.compile("parley_limit_refusals_total\\{[^}]*limit=\"" + limit + "\"[^}]*} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
