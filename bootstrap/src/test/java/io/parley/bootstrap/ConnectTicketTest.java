package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect tickets over real sockets: {@code POST /v1/tickets} with the token in the header, then a WebSocket or
 * an SSE stream with {@code ?ticket=} and no token in the URL; a ticket works once.
 */
class ConnectTicketTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(HttpRequest.Builder request) {
        return server.send(request.POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String ticket(String user) {
        HttpResponse<String> response = post(HttpRequest.newBuilder(server.http("/v1/tickets"))
                .header("Authorization", "Bearer " + server.token(user)).header("Origin", TestServer.ORIGIN));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(TestServer.ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        JsonNode body = Json.parse(response.body());
        assertEquals(30, body.path("expires_in").asInt());
        return body.path("ticket").asText();
    }

    @Test
    void a_websocket_opened_with_a_ticket_is_the_tokens_user_and_the_ticket_works_once() {
        String ticket = ticket("alice");
        URI url = URI.create(server.ws() + "?ticket=" + ticket);

        try (WsClient client = WsClient.connect(url, null, TestServer.ORIGIN)) {
            assertEquals("alice", client.expect("welcome").path("user").asText());
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> WsClient.connect(url, null, TestServer.ORIGIN));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, handshake.getResponse().statusCode());
    }

    @Test
    void an_event_stream_opened_with_a_ticket_gets_its_welcome_and_a_used_ticket_gets_401() {
        String ticket = ticket("bob");
        URI url = server.http("/v1/events?ticket=" + ticket);

        try (SseStream stream = SseStream.open(url, Map.of("Origin", TestServer.ORIGIN))) {
            assertEquals(200, stream.status());
            assertEquals("bob", stream.expect("welcome").path("user").asText());
        }
        try (SseStream again = SseStream.open(url, Map.of("Origin", TestServer.ORIGIN))) {
            assertEquals(401, again.status());
        }
    }

    @Test
    void a_ticket_needs_the_token_in_the_header() {
        HttpResponse<String> inQuery = post(HttpRequest.newBuilder(
                server.http("/v1/tickets?access_token=" + server.token("carol"))));
        assertEquals(400, inQuery.statusCode());
        assertTrue(inQuery.body().contains("Authorization: Bearer"), inQuery.body());

        HttpResponse<String> none = post(HttpRequest.newBuilder(server.http("/v1/tickets")));
        assertEquals(401, none.statusCode());

        HttpResponse<String> forged = post(HttpRequest.newBuilder(server.http("/v1/tickets"))
                .header("Authorization", "Bearer not-a-jwt"));
        assertEquals(401, forged.statusCode());
    }

    @Test
    void another_origin_gets_no_ticket_and_an_allowed_one_passes_the_preflight() {
        HttpResponse<String> foreign = post(HttpRequest.newBuilder(server.http("/v1/tickets"))
                .header("Authorization", "Bearer " + server.token("dave")).header("Origin", "https://evil.example"));
        assertEquals(403, foreign.statusCode());

        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.http("/v1/tickets"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", TestServer.ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization"));
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
    }
}
