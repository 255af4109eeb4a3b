package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.adapters.rest.ServerKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server API over real HTTP, as a CRM's backend uses it: a deal's room by the deal's id (twice: one room),
 * members added in bulk, a message posted for the account manager and received by a member's WebSocket,
 * history and presence read; and the refusals: no key or an unknown one (401), a key without the scope, a
 * browser's request, a post by a non-member (403), bad bodies (400). A user's sessions on every transport are
 * ended (disconnect) and their older tokens refused (revoke).
 */
class ServerApiTest {
    private static final String FULL = "pk_full-access-key-for-tests";
    private static final String READER = "pk_read-only-key-for-tests";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "parley.server-api.keys", "crm:" + ServerKeys.sha256(FULL) + ":rooms+messages+read+users,"
                        + "reports:" + ServerKeys.sha256(READER) + ":read"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String key, String body) {
        return server.serverApi(method, path, key, body);
    }

    @Test
    void a_backend_opens_a_deals_room_adds_its_people_posts_for_them_and_reads_it_back() {
        String create = "{\"owner\":\"manager\",\"name\":\"Deal 42\",\"visibility\":\"private\",\"members\":[\"ann\"]}";
        HttpResponse<String> created = call("PUT", "/rooms/deal-42", FULL, create);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/v1/server/rooms/deal-42", created.headers().firstValue("Location").orElseThrow());
        JsonNode room = Json.parse(created.body());
        assertEquals("deal-42", room.get("id").asText());
        assertEquals("manager", room.get("owner").asText());
        HttpResponse<String> again = call("PUT", "/rooms/deal-42", FULL, create);
        assertEquals(200, again.statusCode(), "a retry finds the room: " + again.body());
        assertEquals(room.get("created_at"), Json.parse(again.body()).get("created_at"));

        JsonNode added = Json.parse(call("POST", "/rooms/deal-42/members", FULL,
                "{\"add\":[\"bob\",\"ann\",\"carol\"],\"remove\":[\"carol\"]}").body());
        assertEquals(3, added.get("events").size(), "bob and carol joined (ann was in), carol left: " + added);
        assertEquals("member_left", added.get("events").get(2).get("type").asText());

        try (WsClient bob = server.connect("bob")) {
            bob.ack("subscribe", "room", "deal-42");
            String post = "{\"as\":\"manager\",\"name\":\"Mia Manager\",\"body\":\"Contract signed\",\"client_id\":\"crm-1\"}";
            HttpResponse<String> posted = call("POST", "/rooms/deal-42/messages", FULL, post);
            assertEquals(201, posted.statusCode(), posted.body());
            JsonNode message = Json.parse(posted.body()).get("message");
            assertEquals("Mia Manager", message.get("author_name").asText());
            JsonNode received = bob.expect("message");
            assertEquals(message.get("id"), received.get("message").get("id"));
            HttpResponse<String> retried = call("POST", "/rooms/deal-42/messages", FULL, post);
            assertEquals(200, retried.statusCode(), "the same client_id: the stored message, once");
            assertEquals(message.get("id"), Json.parse(retried.body()).get("message").get("id"));
        }

        JsonNode history = Json.parse(call("GET", "/rooms/deal-42/messages?limit=10", READER, null).body());
        assertEquals(1, history.get("messages").size());
        assertEquals("Contract signed", history.get("messages").get(0).get("body").asText());
        JsonNode members = Json.parse(call("GET", "/rooms/deal-42/members", READER, null).body());
        assertEquals(3, members.get("members").size(), members.toString());
        assertEquals(200, call("GET", "/rooms/deal-42/presence", READER, null).statusCode());
        HttpResponse<String> renamed = call("PATCH", "/rooms/deal-42", FULL, "{\"topic\":\"Closing this week\"}");
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertEquals("room_updated", Json.parse(renamed.body()).get("type").asText());
    }

    /**
     * A deal's room deleted by the backend: WebSocket and SSE subscribers get {@code room_deleted} and nothing
     * more from it; it is not found by anyone from then on, its id is not given out again, and its members'
     * room lists no longer hold it.
     */
    @Test
    void a_deleted_room_tells_its_subscribers_and_is_gone_for_everyone() {
        assertEquals(201, call("PUT", "/rooms/deal-gone", FULL,
                "{\"owner\":\"gus\",\"name\":\"Deal gone\",\"members\":[\"hal\",\"ida\"]}").statusCode());
        call("POST", "/rooms/deal-gone/messages", FULL, "{\"as\":\"gus\",\"body\":\"before\"}");
        try (WsClient hal = server.connect("hal");
             SseStream ida = SseStream.open(server.http("/v1/events?access_token=" + server.token("ida")),
                     Map.of("Origin", TestServer.ORIGIN))) {
            hal.ack("subscribe", "room", "deal-gone");
            String session = ida.expect("welcome").get("session").asText();
            FallbackTransportsTest.command(server, "ida", session,
                    "{\"type\":\"subscribe\",\"ref\":\"s\",\"room\":\"deal-gone\"}");

            HttpResponse<String> deleted = call("DELETE", "/rooms/deal-gone", FULL, null);
            assertEquals(200, deleted.statusCode(), deleted.body());
            JsonNode event = Json.parse(deleted.body());
            assertEquals("room_deleted", event.get("type").asText());
            assertEquals(5, event.get("seq").asLong(), "three joins, a message, then the deletion: " + event);
            assertEquals("gus", event.get("by").asText());
            assertEquals(event, hal.expect("room_deleted"));
            assertEquals(event, ida.expect("room_deleted"));
        }
        assertEquals(404, call("GET", "/rooms/deal-gone/messages", READER, null).statusCode());
        assertEquals(404, server.rest("GET", "/v1/rooms/deal-gone", "hal", null).statusCode());
        assertFalse(server.rest("GET", "/v1/rooms", "hal", null).body().contains("deal-gone"), "not listed");
        assertEquals(404, call("DELETE", "/rooms/deal-gone", FULL, null).statusCode(), "a retry: gone already");
        HttpResponse<String> again = call("PUT", "/rooms/deal-gone", FULL, "{\"owner\":\"gus\",\"name\":\"Again\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("deleted"), again.body());
        assertEquals(403, call("DELETE", "/rooms/deal-other", READER, null).statusCode(), "scope rooms");
    }

    @Test
    void a_room_the_backend_creates_leaves_its_owners_display_name_as_their_token_gave_it() {
        assertEquals(200, server.rest("GET", "/v1/rooms", "olga", null).statusCode()); // olga's token: "Olga"
        assertEquals(201, call("PUT", "/rooms/deal-olga", FULL, "{\"owner\":\"olga\",\"name\":\"Deal\"}")
                .statusCode());
        JsonNode members = Json.parse(call("GET", "/rooms/deal-olga/members", READER, null).body());
        assertEquals("Olga", members.get("members").get(0).get("display_name").asText(), members.toString());
    }

    @Test
    void requests_without_a_known_key_with_the_wrong_scope_or_from_a_browser_are_refused() {
        HttpResponse<String> none = call("GET", "/rooms/nowhere/messages", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, call("GET", "/rooms/nowhere/messages", "pk_guess", null).statusCode());
        assertEquals(401, call("GET", "/rooms/nowhere/messages", server.token("alice"), null).statusCode(),
                "a user's token is not a server key");

        HttpResponse<String> scope = call("PUT", "/rooms/deal-7", READER,
                "{\"owner\":\"manager\",\"name\":\"Deal 7\"}");
        assertEquals(403, scope.statusCode());
        assertTrue(scope.body().contains("scope rooms"), scope.body());

        HttpResponse<String> browser = server.send(HttpRequest.newBuilder(server.http("/v1/server/rooms/deal-7/messages"))
                .header("Authorization", "Bearer " + FULL).header("Origin", TestServer.ORIGIN));
        assertEquals(403, browser.statusCode(), "never from a browser, even with the key");
        assertFalse(browser.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void bad_input_and_what_the_rules_forbid_get_the_user_apis_errors() {
        assertEquals(400, call("PUT", "/rooms/deal-9", FULL, "{\"name\":\"no owner\"}").statusCode());
        assertEquals(400, call("PUT", "/rooms/dm-reserved", FULL, "{\"owner\":\"a\",\"name\":\"x\"}").statusCode(),
                "the ids of direct conversations are not for the taking");
        assertEquals(404, call("POST", "/rooms/no-such-room/members", FULL, "{\"add\":[\"bob\"]}").statusCode());
        call("PUT", "/rooms/deal-9", FULL, "{\"owner\":\"manager\",\"name\":\"Deal 9\",\"visibility\":\"private\"}");
        assertEquals(400, call("POST", "/rooms/deal-9/members", FULL, "{}").statusCode(), "names nobody");
        HttpResponse<String> stranger = call("POST", "/rooms/deal-9/messages", FULL,
                "{\"as\":\"stranger\",\"body\":\"hi\"}");
        assertEquals(403, stranger.statusCode(), "posts only as a member: " + stranger.body());
        assertEquals(400, call("POST", "/rooms/deal-9/messages", FULL, "{\"as\":\"manager\",\"body\":\"\"}")
                .statusCode());
    }

    @Test
    void a_disconnect_ends_the_users_websocket_and_event_stream_and_they_may_come_back() {
        try (WsClient dan = server.connect("dan");
             SseStream stream = SseStream.open(server.http("/v1/events"),
                     Map.of("Authorization", "Bearer " + server.token("dan")));
             WsClient eve = server.connect("eve")) {
            stream.expect("welcome");
            HttpResponse<String> done = call("POST", "/users/dan/disconnect", FULL, null);
            assertEquals(204, done.statusCode(), done.body());

            assertEquals(4002, dan.awaitClose());
            JsonNode close = stream.expectClose();
            assertEquals(4002, close.get("code").asInt(), close.toString());
            assertTrue(close.get("reconnect").asBoolean());
            assertFalse(eve.isClosed(), "only dan's sessions end");
            try (WsClient again = server.connect("dan")) {
                assertEquals("pong", again.command("ping").get("type").asText());
            }
        }
        assertEquals(403, call("POST", "/users/dan/disconnect", READER, null).statusCode(), "needs the users scope");
    }

    @Test
    void a_revocation_ends_sessions_of_older_tokens_and_refuses_those_tokens_but_not_newer_ones()
            throws InterruptedException {
        String old = server.tokenIssued("fay", Duration.ofMinutes(5));
        try (WsClient fay = WsClient.connect(server.ws(), old, TestServer.ORIGIN);
             SseStream stream = SseStream.open(server.http("/v1/events"), Map.of("Authorization", "Bearer " + old));
             SseStream newer = SseStream.open(server.http("/v1/events"),
                     Map.of("Authorization", "Bearer " + server.token("fay")))) {
            fay.expect("welcome");
            stream.expect("welcome");
            newer.expect("welcome");
            HttpResponse<String> revoked = call("POST", "/users/fay/revoke", FULL, "");
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertEquals("fay", Json.parse(revoked.body()).get("user").asText());

            assertEquals(4001, fay.awaitClose(), "a new token is needed");
            assertEquals(4001, stream.expectClose().get("code").asInt());
            Thread.sleep(300);
            assertFalse(newer.ended(), "a stream of a token issued since goes on");
        }
        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.http("/v1/rooms"))
                .header("Authorization", "Bearer " + old));
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("revoked"), refused.body());
        assertEquals(200, server.rest("GET", "/v1/rooms", "fay", null).statusCode(), "a token issued since works");

        assertEquals(400, call("POST", "/users/fay/revoke", FULL, "{\"before\":\"yesterday\"}").statusCode());
        String later = "{\"before\":\"2099-01-01T00:00:00Z\"}";
        JsonNode ahead = Json.parse(call("POST", "/users/gus/revoke", FULL, later).body());
        assertEquals("2099-01-01T00:00:00Z", ahead.get("revoked_before").asText());
        assertEquals(401, server.rest("GET", "/v1/rooms", "gus", null).statusCode(), "every token until then");
    }

    @Test
    void the_backend_posts_as_the_system_author_once_per_idempotency_key_and_no_user_can_be_the_system() {
        call("PUT", "/rooms/ticket-42", FULL, "{\"owner\":\"agent\",\"name\":\"Ticket 42\",\"members\":[\"kim\"]}");
        try (WsClient kim = server.connect("kim")) {
            kim.ack("subscribe", "room", "ticket-42");
            String notice = "{\"as\":\"system\",\"name\":\"Support desk\",\"body\":\"Ticket #42 was closed\"}";
            HttpResponse<String> posted = server.send(HttpRequest.newBuilder(server.http("/v1/server/rooms/ticket-42/messages"))
                    .header("Authorization", "Bearer " + FULL).header("Idempotency-Key", "close-42")
                    .POST(HttpRequest.BodyPublishers.ofString(notice)));
            assertEquals(201, posted.statusCode(), "the system needs no membership: " + posted.body());
            JsonNode received = kim.expect("message").get("message");
            assertEquals("system", received.get("author").asText());
            assertEquals("Support desk", received.get("author_name").asText());
            HttpResponse<String> retried = server.send(HttpRequest.newBuilder(server.http("/v1/server/rooms/ticket-42/messages"))
                    .header("Authorization", "Bearer " + FULL).header("Idempotency-Key", "close-42")
                    .POST(HttpRequest.BodyPublishers.ofString(notice)));
            assertEquals(200, retried.statusCode(), "the same Idempotency-Key: the message stored the first time");
            assertEquals(received.get("id"), Json.parse(retried.body()).get("message").get("id"));
        }
        HttpResponse<String> differ = server.send(HttpRequest.newBuilder(server.http("/v1/server/rooms/ticket-42/messages"))
                .header("Authorization", "Bearer " + FULL).header("Idempotency-Key", "a")
                .POST(HttpRequest.BodyPublishers.ofString("{\"as\":\"system\",\"body\":\"x\",\"client_id\":\"b\"}")));
        assertEquals(400, differ.statusCode(), differ.body());

        assertEquals(401, server.rest("GET", "/v1/rooms", "system", null).statusCode(), "no token names the system");
        assertEquals(400, call("POST", "/rooms/ticket-42/members", FULL, "{\"add\":[\"system\"]}").statusCode(),
                "the system is never a member");
    }

    @Test
    void each_key_has_a_request_rate_and_one_over_it_gets_429_with_retry_after() {
        try (TestServer limited = TestServer.start(Map.of(
                "parley.server-api.keys", "crm:" + ServerKeys.sha256(FULL) + ":read",
                "parley.server-api.requests-per-second", "1"))) {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 6 && refused == null; i++) {
                HttpResponse<String> response = limited.send(HttpRequest.newBuilder(
                        limited.http("/v1/server/rooms/none/presence")).header("Authorization", "Bearer " + FULL));
                statuses.add(response.statusCode());
                refused = response.statusCode() == 429 ? response : null;
            }
            assertEquals(List.of(404, 404), statuses.subList(0, 2), "a burst of twice the rate");
            assertTrue(refused != null, "six requests at once exceed 1/s in bursts of 2: " + statuses);
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(refused.body().contains("rate_limited"), refused.body());
        }
    }
}
