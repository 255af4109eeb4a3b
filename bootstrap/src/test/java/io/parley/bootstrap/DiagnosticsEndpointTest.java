package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code GET /v1/diagnostics/echo}: off by default (a documented 404); on, it reflects what reached the server
 * without ever echoing a token, a cookie or the query string.
 */
class DiagnosticsEndpointTest {

    @Test
    void it_is_off_unless_configured() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http(DiagnosticsEndpoint.PATH)));

            assertEquals(404, response.statusCode());
            assertEquals("not_found", Json.parse(response.body()).path("error").path("code").asText());
        }
    }

    @Test
    void it_reflects_what_arrived_and_never_a_secret() {
        String token = "eyJhbGciOiJIUzI1NiJ9.secret.part";
        try (TestServer server = TestServer.start(Map.of("parley.diagnostics", "true"))) {
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(
                            server.http(DiagnosticsEndpoint.PATH + "?access_token=" + token))
                    .header("Authorization", "Bearer " + token)
                    .header("Cookie", "session=" + token)
                    .header("X-Forwarded-For", "203.0.113.7")
                    .header("X-Forwarded-Proto", "https")
                    .header("Origin", TestServer.ORIGIN));

            assertEquals(200, response.statusCode());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            JsonNode echo = Json.parse(response.body());
            assertEquals("HTTP/1.1", echo.path("version").asText());
            assertEquals(DiagnosticsEndpoint.PATH, echo.path("path").asText());
            JsonNode headers = echo.path("headers");
            assertEquals("(present)", headers.path("authorization").asText());
            assertEquals("(present)", headers.path("cookie").asText());
            assertEquals("203.0.113.7", headers.path("x-forwarded-for").asText());
            assertEquals("https", headers.path("x-forwarded-proto").asText());
            assertEquals(TestServer.ORIGIN, headers.path("origin").asText());
            assertFalse(response.body().contains("secret"), response.body());
        }
    }
}
