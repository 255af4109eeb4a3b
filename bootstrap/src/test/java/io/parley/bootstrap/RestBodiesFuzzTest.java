package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile REST and command bodies against a real server (issue 12 item 7): whatever a client sends to
 * {@code POST /v1/rooms}, {@code POST /v1/commands} or the history query, the answer is a documented status
 * with a documented error body — never 500, never {@code internal}. Property-based (jqwik), with a fixed
 * seed so that CI runs the same bounded set and a failure reproduces; the command decoder itself is fuzzed
 * in {@code wire}'s {@code DecodingFuzzTest}.
 */
class RestBodiesFuzzTest {
    private static final Set<Integer> DOCUMENTED = Set.of(200, 201, 204, 400, 403, 404, 413, 429);
    private static final Set<String> CODES = Set.of("invalid", "forbidden", "not_found", "too_large",
            "rate_limited", "conflict", "unknown_type");
    private static final List<String> VALUES = List.of("\"General\"", "\"\"", "\"   \"", "null", "true", "0", "-1",
            "9007199254740993", "1e308", "[]", "{}", "[\"bob\"]", "\"open\"", "\"private\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"" + "x".repeat(5000) + "\"", "{\"a\":{\"b\":[1,2,{}]}}", "\"\\u202e\\u0007\"");

    private static TestServer server;
    private static String room;
    private static String session;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        room = server.createRoom("fuzz", "Fuzz", "open");
        session = FallbackTransportsTest.poll(server, "fuzz", null).get("events").get(0).get("session").asText();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 300, seed = "20261205")
    void any_create_room_body_gets_a_documented_answer(@ForAll("bodies") String body) {
        // A user per body: the rooms-per-hour limit answers 429, which is documented, but would hide the rest.
        documented(server.rest("POST", "/v1/rooms", "fz" + Math.floorMod(body.hashCode(), 100_000), body), body);
    }

    @Property(tries = 300, seed = "20261206")
    void any_commands_body_gets_a_documented_answer(@ForAll("commandBodies") String body) {
        HttpResponse<String> response = FallbackTransportsTest.post(server, "fuzz", session, body);
        documented(response, body);
        if (response.statusCode() == 200) {
            for (JsonNode reply : Json.parse(response.body())) {
                if (reply.path("type").asText().equals("error")) {
                    assertTrue(CODES.contains(reply.path("code").asText()), () -> reply + " for " + body);
                }
            }
        }
    }

    @Property(tries = 200, seed = "20261207")
    void any_history_query_gets_a_documented_answer(@ForAll("queryValues") String limit,
                                                     @ForAll("queryValues") String bound) {
        String query = "?limit=" + encode(limit) + "&before=" + encode(bound);
        documented(server.rest("GET", "/v1/rooms/" + room + "/messages" + query, "fuzz", null), query);
        documented(server.rest("GET", "/v1/rooms/" + room + "/messages?after=" + encode(bound), "fuzz", null), bound);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES),
                Arbitraries.strings().ofMaxLength(40).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        Arbitrary<String> field = Arbitraries.of("name", "visibility", "members", "owner", "", "id");
        Arbitrary<String> object = Combinators.combine(field, value, field, value, field, value)
                .as((f1, v1, f2, v2, f3, v3) -> "{\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + ",\"" + f3 + "\":" + v3 + "}");
        return Arbitraries.oneOf(object, object.map(RestBodiesFuzzTest::cut), Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of(VALUES));
    }

    @Provide
    Arbitrary<String> commandBodies() {
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> type = Arbitraries.of("\"send\"", "\"subscribe\"", "\"read\"", "\"edit\"", "\"delete\"",
                "\"typing\"", "\"join\"", "\"presence\"", "\"ping\"", "\"nope\"", "1", "null");
        Arbitrary<String> field = Arbitraries.of("room", "body", "seq", "after", "message_id", "status", "active",
                "client_id", "attachment_url", "ref");
        Arbitrary<String> command = Combinators.combine(type, field, value, field, value)
                .as((t, f1, v1, f2, v2) -> "{\"type\":" + t + ",\"" + f1 + "\":" + v1.replace("General",
                        "r") + ",\"" + f2 + "\":" + v2 + ",\"room\":\"" + room + "\"}");
        return Arbitraries.oneOf(command.list().ofMaxSize(5).map(list -> "[" + String.join(",", list) + "]"),
                command, command.map(RestBodiesFuzzTest::cut), Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<String> queryValues() {
        return Arbitraries.oneOf(Arbitraries.of("", "0", "1", "200", "201", "-1", "9007199254740991",
                        "9007199254740992", "9223372036854775807", "99999999999999999999", "1.5", "0x10", " 5"),
                Arbitraries.strings().ofMaxLength(20));
    }

    private static String cut(String text) {
        return text.substring(0, text.length() / 2);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void documented(HttpResponse<String> response, String input) {
        int status = response.statusCode();
        assertTrue(DOCUMENTED.contains(status), () -> status + " " + response.body() + " for " + input);
        if (status >= 400) {
            JsonNode error = Json.parse(response.body()).get("error");
            assertTrue(error != null && CODES.contains(error.path("code").asText()),
                    () -> status + " " + response.body() + " for " + input);
            assertEquals(false, error.path("message").asText().isEmpty(), response.body());
        }
    }
}
