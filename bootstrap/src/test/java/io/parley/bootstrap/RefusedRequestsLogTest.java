package io.parley.bootstrap;

import io.parley.testservices.LogCapture;
import io.parley.wire.RefusalLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests refused before they became a session reach the server log, once a minute per kind, with the
 * reason and without the token (issue 11: "log every rejected request once, with the reason, rate-limited").
 */
class RefusedRequestsLogTest {
    private LogCapture capture;
    private TestServer server;

    @BeforeEach
    void start() {
        capture = LogCapture.of(RefusalLog.LOGGER);
        server = TestServer.start(Map.of("parley.http.trusted-proxies", "127.0.0.1,::1"));
    }

    @AfterEach
    void stop() {
        capture.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void each_kind_of_refusal_is_logged_once_with_its_reason_and_never_its_token() throws Exception {
        String token = server.token("alice");
        for (int i = 0; i < 3; i++) {
            assertEquals(403, WsClient.refusedStatus(() -> WsClient.connect(server.ws(), token,
                    "https://evil.example")));
        }
        assertEquals(401, server.send(HttpRequest.newBuilder(server.http("/v1/events?access_token=not-a-jwt"))
                .header("X-Forwarded-For", "198.51.100.7")).statusCode());
        assertEquals(426, server.send(HttpRequest.newBuilder(server.http("/v1/ws?access_token=" + token)))
                .statusCode());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /v1/rooms?access_token=" + token + " HTTP/1.0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .startsWith("HTTP/1.1 505"));
        }

        List<String> logged = capture.records().stream().map(LogRecord::getMessage).toList();
        String all = String.join("\n", logged);
        assertEquals(1, logged.stream().filter(l -> l.contains("403 forbidden")).count(), all);
        assertTrue(all.contains("refused 1 request(s) with 403 forbidden in the last 60 s, e.g. GET /v1/ws from -: "
                + "origin not allowed (Origin https://evil.example)"), all);
        assertTrue(all.contains("with 401 unauthorized in the last 60 s, e.g. GET /v1/events from 198.51.100.7"), all);
        assertTrue(all.contains("with 426 upgrade_required"), all);
        assertTrue(all.contains("with 505 http_version_not_supported in the last 60 s, e.g. GET /v1/rooms from -"),
                all);
        assertFalse(all.contains(token) || all.contains("not-a-jwt"), all);
    }
}
