package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits on what one user makes (issue 12 item 1): rooms created per hour, members per room and searches per
 * minute, over REST and over the WebSocket, against a real server.
 */
class UsageLimitsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("parley.limits.rooms-per-user-per-hour", "2",
                "parley.limits.max-members-per-room", "3", "parley.limits.searches-per-user-per-minute", "3"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_user_creates_at_most_the_hourly_number_of_rooms_and_others_are_not_charged() {
        server.createRoom("rita", "One", "open");
        server.createRoom("rita", "Two", "open");
        HttpResponse<String> third = server.rest("POST", "/v1/rooms", "rita", "{\"name\":\"Three\"}");
        assertEquals(429, third.statusCode(), third.body());
        JsonNode error = Json.parse(third.body()).get("error");
        assertEquals("rate_limited", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("at most 2 new rooms per hour"), error.toString());
        server.createRoom("sam", "Sam's", "open");
    }

    @Test
    void a_full_room_refuses_one_more_member_by_rest_and_by_websocket_and_at_creation() {
        String room = server.createRoom("owen", "Small", "open", "pat");
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/members/quinn", "owen", null).statusCode());

        HttpResponse<String> added = server.rest("PUT", "/v1/rooms/" + room + "/members/ruth", "owen", null);
        assertEquals(413, added.statusCode(), added.body());
        assertEquals("too_large", Json.parse(added.body()).get("error").get("code").asText());
        try (WsClient vic = server.connect("vic")) {
            JsonNode refused = vic.command("join", "room", room);
            assertEquals("too_large", refused.get("code").asText(), refused.toString());
            assertTrue(refused.get("message").asText().contains("the room is full"), refused.toString());
        }
        // A member already in stays one: a repeated add is not refused (204: nothing changed).
        assertEquals(204, server.rest("PUT", "/v1/rooms/" + room + "/members/pat", "owen", null).statusCode());
        // Leaving frees a place.
        assertEquals(200, server.rest("DELETE", "/v1/rooms/" + room + "/members/quinn", "owen", null).statusCode());
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/members/ruth", "owen", null).statusCode());

        HttpResponse<String> big = server.rest("POST", "/v1/rooms", "wes",
                "{\"name\":\"Big\",\"members\":[\"a\",\"b\",\"c\"]}");
        assertEquals(413, big.statusCode(), big.body());
    }

    @Test
    void a_user_runs_at_most_the_searches_of_a_minute_and_others_are_not_charged() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, server.rest("GET", "/v1/search?q=anything", "yara", null).statusCode(), "search " + i);
        }
        HttpResponse<String> fourth = server.rest("GET", "/v1/search?q=anything", "yara", null);
        assertEquals(429, fourth.statusCode(), fourth.body());
        JsonNode error = Json.parse(fourth.body()).get("error");
        assertEquals("rate_limited", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("at most 3 searches a minute"), error.toString());
        assertEquals(200, server.rest("GET", "/v1/search?q=anything", "zeke", null).statusCode());
    }
}
