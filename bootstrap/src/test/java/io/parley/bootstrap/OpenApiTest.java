package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.adapters.rest.ServerKeys;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the server serves ({@code docs/openapi.yaml}) against the server itself: it is a valid
 * OpenAPI 3.1 document, and a walk through every operation it describes, user API, transports and server API,
 * with successes and the usual refusals, gets only answers whose status the operation documents and whose JSON
 * bodies match its schemas (additional fields included: the schemas close their objects). Every operation is
 * answered with a success at least once.
 */
class OpenApiTest {
    private static final String KEY = "pk_openapi-test-key-0123456789";
    private static final String READ_ONLY = "pk_openapi-read-only-key-012345";
    private static TestServer server;
    private static OpenApiContract api;
    private static String document;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("parley.server-api.keys", "crm:" + ServerKeys.sha256(KEY)
                + ":rooms+messages+read+users,reports:" + ServerKeys.sha256(READ_ONLY) + ":read"));
        HttpResponse<String> served = server.send(HttpRequest.newBuilder(server.http("/v1/openapi.yaml")));
        assertEquals(200, served.statusCode());
        document = served.body();
        api = OpenApiContract.of(document);
        api.check("GET", served);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_served_document_is_the_one_in_docs_and_a_valid_openapi_3_1_document() throws Exception {
        assertEquals(Files.readString(Path.of("../docs/openapi.yaml")), document);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertEquals(List.of(), parsed.getMessages(), "what the parser found wrong");
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
    }

    /** The checker itself: answers off the document are caught. */
    @Test
    void the_checker_catches_answers_the_document_does_not_describe() {
        OpenApiContract fresh = OpenApiContract.of(document);
        String room = "{\"id\":\"r\",\"kind\":\"group\",\"name\":\"R\",\"visibility\":\"open\",\"topic\":null,"
                + "\"avatar_url\":null,\"metadata\":{},\"archived\":false,\"owner\":\"ann\","
                + "\"created_at\":\"2026-12-06T10:00:00Z\",\"last_seq\":1";
        URI uri = URI.create("http://localhost/v1/rooms/r");
        fresh.check("GET", uri, 200, "application/json", room + "}", false);
        assertEquals(List.of(), fresh.failures(), "a room as documented");
        fresh.check("GET", uri, 200, "application/json", room + ",\"secret\":1}", false);
        fresh.check("GET", uri, 200, "application/json", room.replace("\"group\"", "\"channel\"") + "}", false);
        fresh.check("GET", uri, 200, "application/json", room.replace(",\"last_seq\":1", "") + "}", false);
        fresh.check("GET", uri, 418, "application/json", "{}", false);
        fresh.check("GET", URI.create("http://localhost/v1/nowhere"), 200, "application/json", "{}", false);
        fresh.check("PUT", URI.create("http://localhost/v1/direct/bob"), 201, "application/json", room + "}", false);
        fresh.check("GET", uri, 403, "application/json", "{\"error\":{\"code\":\"nope\",\"message\":\"x\"}}", false);
        assertEquals(7, fresh.failures().size(), String.join("\n", fresh.failures()));
        assertEquals(Set.of("GET /v1/rooms/{room}", "PUT /v1/direct/{user}"), fresh.exercised());
    }

    private static HttpResponse<String> user(String method, String path, String user, String body) {
        return api.check(method, server.rest(method, path, user, body));
    }

    private static HttpResponse<String> anonymous(String method, String path) {
        return api.check(method, server.send(HttpRequest.newBuilder(server.http(path))
                .method(method, HttpRequest.BodyPublishers.noBody())));
    }

    private static HttpResponse<String> serverApi(String method, String path, String key, String body) {
        return api.check(method, server.serverApi(method, path, key, body));
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.uri() + ": "
                + response.body());
    }

    @Test
    void every_operation_is_exercised_and_answers_as_the_document_says() {
        // Rooms, members, roles, bans.
        HttpResponse<String> created = user("POST", "/v1/rooms", "ann",
                "{\"name\":\"Spec\",\"visibility\":\"private\",\"members\":[\"ben\"]}");
        expect(201, created);
        String room = Json.parse(created.body()).get("id").asText();
        String path = "/v1/rooms/" + room;
        expect(400, user("POST", "/v1/rooms", "ann", "{\"visibility\":\"nowhere\"}"));
        expect(401, anonymous("GET", "/v1/rooms"));
        expect(200, user("GET", path, "ann", null));
        expect(403, user("GET", path, "cat", null));
        expect(404, user("GET", "/v1/rooms/no-such-room", "ann", null));
        expect(200, user("PATCH", path, "ann", "{\"topic\":\"OpenAPI\",\"metadata\":{\"deal\":\"42\"}}"));
        expect(204, user("PATCH", path, "ann", "{\"topic\":\"OpenAPI\"}"));
        expect(400, user("PATCH", path, "ann", "{\"archived\":\"yes\"}"));
        expect(200, user("PUT", path + "/members/dan", "ann", null));
        expect(204, user("PUT", path + "/members/dan", "ann", null));
        expect(200, user("GET", path + "/members", "ann", null));
        expect(200, user("DELETE", path + "/members/dan", "ann", null));
        expect(204, user("DELETE", path + "/members/dan", "ann", null));
        expect(200, user("PUT", path + "/members/ben/role", "ann", "{\"role\":\"admin\"}"));
        expect(204, user("PUT", path + "/members/ben/role", "ann", "{\"role\":\"admin\"}"));
        expect(400, user("PUT", path + "/members/ben/role", "ann", "{\"role\":\"owner\"}"));
        expect(200, user("PUT", path + "/bans/eve", "ann", null));
        expect(204, user("PUT", path + "/bans/eve", "ann", null));
        expect(200, user("GET", path + "/bans", "ben", null));
        expect(403, user("GET", path + "/bans", "cat", null));
        expect(200, user("DELETE", path + "/bans/eve", "ann", null));
        expect(204, user("DELETE", path + "/bans/eve", "ann", null));

        // Messages in every shape the history carries: a reply with mentions, reactions, an edit, a tombstone.
        try (WsClient ann = server.connect("ann"); WsClient ben = server.connect("ben")) {
            String first = ann.ack("send", "room", room, "body", "spec words first").get("message").get("id").asText();
            ben.ack("send", "room", room, "body", "spec words reply", "reply_to", first, "mentions", List.of("ann"));
            ben.ack("react", "room", room, "message_id", first, "emoji", "👍");
            ann.ack("edit", "room", room, "message_id", first, "body", "spec words first, edited");
            String gone = ann.ack("send", "room", room, "body", "to delete").get("message").get("id").asText();
            ann.ack("delete", "room", room, "message_id", gone);
        }
        expect(200, user("GET", path + "/messages?limit=10", "ann", null));
        expect(200, user("GET", path + "/messages?after=2&limit=2", "ben", null));
        expect(200, user("GET", path + "/messages?before=9&limit=2", "ben", null));
        expect(400, user("GET", path + "/messages?limit=-1", "ann", null));
        expect(200, user("GET", path + "/presence", "ann", null));
        expect(200, user("GET", "/v1/rooms?limit=1", "ann", null));
        expect(200, user("GET", "/v1/search?q=spec%20words&limit=1", "ben", null));
        expect(400, user("GET", "/v1/search", "ben", null));
        expect(201, user("PUT", "/v1/direct/ben", "ann", null));
        expect(200, user("PUT", "/v1/direct/ann", "ben", null));
        expect(400, user("PUT", "/v1/direct/ann", "ann", null));
        expect(200, user("GET", "/v1/rooms", "ben", null)); // the direct conversation, with its peer
        user("POST", "/v1/rooms", "ann", "{\"name\":\"Spec lobby\"}");
        expect(200, user("GET", "/v1/directory?q=spec&limit=5", "cat", null));

        // Hand-over and deletion, on rooms of their own.
        String handed = server.createRoom("ann", "Handed", "private", "ben");
        expect(200, user("PUT", "/v1/rooms/" + handed + "/owner", "ann", "{\"user\":\"ben\"}"));
        expect(403, user("PUT", "/v1/rooms/" + handed + "/owner", "ann", "{\"user\":\"ann\"}"));
        expect(403, user("DELETE", "/v1/rooms/" + handed, "ann", null));
        expect(200, user("DELETE", "/v1/rooms/" + handed, "ben", null));
        expect(404, user("DELETE", "/v1/rooms/" + handed, "ben", null));

        transports(room);
        serverApi();
        devToken();
        assertTrue(api.failures().isEmpty(), String.join("\n", api.failures()));
        Set<String> missing = new TreeSet<>(api.operations());
        missing.removeAll(api.exercised());
        assertEquals(Set.of(), missing, "operations no request of this test answered with a success");
    }

    /** Tickets, long-poll with its commands, and an SSE stream's events. */
    private static void transports(String room) {
        HttpResponse<String> ticket = api.check("POST", server.send(HttpRequest.newBuilder(server.http("/v1/tickets"))
                .header("Authorization", "Bearer " + server.token("ann")).POST(HttpRequest.BodyPublishers.noBody())));
        expect(200, ticket);
        expect(401, anonymous("POST", "/v1/tickets"));

        HttpResponse<String> opened = poll("ann", null);
        expect(200, opened);
        JsonNode welcome = Json.parse(opened.body());
        String session = welcome.get("events").get(0).get("session").asText();
        String cursor = welcome.get("cursor").asText();
        HttpResponse<String> replies = api.check("POST", server.send(HttpRequest.newBuilder(
                        server.http("/v1/commands?session=" + session))
                .header("Authorization", "Bearer " + server.token("ann"))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"type\":\"subscribe\",\"ref\":\"1\",\"room\":\"" + room
                        + "\",\"after\":0},{\"type\":\"join\",\"ref\":\"2\",\"room\":\"" + room + "\"},"
                        + "{\"type\":\"send\",\"ref\":\"3\",\"room\":\"" + room + "\",\"body\":\"by poll\"},"
                        + "{\"type\":\"typing\",\"ref\":\"4\",\"room\":\"" + room + "\",\"active\":true},"
                        + "{\"type\":\"ping\",\"ref\":\"5\"},{\"type\":\"fly\",\"ref\":\"6\"}]"))));
        expect(200, replies);
        assertEquals(6, Json.parse(replies.body()).size(), replies.body());
        expect(404, api.check("POST", server.send(HttpRequest.newBuilder(server.http("/v1/commands?session=nope"))
                .header("Authorization", "Bearer " + server.token("ann"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ping\"}")))));
        HttpResponse<String> events = poll("ann", cursor + "&wait=0");
        expect(200, events);
        assertTrue(Json.parse(events.body()).get("events").size() > 5, "the replay and more: " + events.body());
        expect(400, poll("ann", cursor + "&wait=soon"));

        URI stream = server.http("/v1/events?access_token=" + server.token("ben"));
        try (SseStream sse = SseStream.open(stream, Map.of("Origin", TestServer.ORIGIN))) {
            api.check("GET", stream, sse.status(), "text/event-stream", null, false);
            JsonNode hello = sse.expect("welcome");
            api.validate("/components/schemas/ServerEvent", hello, "an SSE welcome");
            String bens = hello.get("session").asText();
            api.check("POST", server.send(HttpRequest.newBuilder(server.http("/v1/commands?session=" + bens))
                    .header("Authorization", "Bearer " + server.token("ben"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"subscribe\",\"room\":\"*\","
                            + "\"after\":{\"" + room + "\":0}}"))));
            api.validate("/components/schemas/ServerEvent", sse.expect("role_changed"), "an SSE role_changed");
            api.validate("/components/schemas/ServerEvent", sse.expect("message"), "an SSE message");
        }
    }

    private static HttpResponse<String> poll(String user, String cursor) {
        return api.check("GET", server.send(HttpRequest.newBuilder(server.http("/v1/poll"
                        + (cursor == null ? "" : "?cursor=" + cursor)))
                .header("Authorization", "Bearer " + server.token(user))));
    }

    private static void serverApi() {
        String create = "{\"owner\":\"olly\",\"name\":\"Deal 77\",\"visibility\":\"private\",\"members\":[\"pam\"]}";
        expect(201, serverApi("PUT", "/rooms/deal-77", KEY, create));
        expect(200, serverApi("PUT", "/rooms/deal-77", KEY, create));
        expect(400, serverApi("PUT", "/rooms/dm-taken", KEY, "{\"owner\":\"olly\",\"name\":\"x\"}"));
        expect(401, serverApi("GET", "/rooms/deal-77/members", null, null));
        expect(403, serverApi("PUT", "/rooms/deal-78", READ_ONLY, create));
        expect(200, serverApi("PATCH", "/rooms/deal-77", KEY, "{\"topic\":\"Closing\"}"));
        expect(204, serverApi("PATCH", "/rooms/deal-77", KEY, "{\"topic\":\"Closing\"}"));
        expect(200, serverApi("POST", "/rooms/deal-77/members", KEY, "{\"add\":[\"quin\"],\"remove\":[\"pam\"]}"));
        expect(404, serverApi("POST", "/rooms/deal-none/members", KEY, "{\"add\":[\"quin\"]}"));
        expect(200, serverApi("GET", "/rooms/deal-77/members", READ_ONLY, null));
        String post = "{\"as\":\"system\",\"name\":\"CRM\",\"body\":\"Signed\",\"client_id\":\"crm-77\"}";
        expect(201, serverApi("POST", "/rooms/deal-77/messages", KEY, post));
        expect(200, serverApi("POST", "/rooms/deal-77/messages", KEY, post));
        expect(403, serverApi("POST", "/rooms/deal-77/messages", KEY, "{\"as\":\"stranger\",\"body\":\"hi\"}"));
        expect(200, serverApi("GET", "/rooms/deal-77/messages?limit=5", READ_ONLY, null));
        expect(200, serverApi("GET", "/rooms/deal-77/presence", READ_ONLY, null));
        expect(204, serverApi("POST", "/users/quin/disconnect", KEY, null));
        expect(200, serverApi("POST", "/users/quin/revoke", KEY, "{\"before\":\"2026-01-01T00:00:00Z\"}"));
        expect(400, serverApi("POST", "/users/quin/revoke", KEY, "{\"before\":\"yesterday\"}"));
        expect(200, serverApi("DELETE", "/rooms/deal-77", KEY, null));
        expect(404, serverApi("DELETE", "/rooms/deal-77", KEY, null));
    }

    /** Dev mode only: a server of its own. */
    private static void devToken() {
        try (TestServer dev = TestServer.start(Map.of("parley.dev", "true"))) {
            expect(200, api.check("GET", dev.send(HttpRequest.newBuilder(dev.http("/v1/dev/token?user=zoe")))));
            expect(400, api.check("GET", dev.send(HttpRequest.newBuilder(dev.http("/v1/dev/token")))));
        }
    }
}
