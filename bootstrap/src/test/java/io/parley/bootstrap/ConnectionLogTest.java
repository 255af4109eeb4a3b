package io.parley.bootstrap;

import io.parley.engine.ConnectionLog;
import io.parley.testservices.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection log over real sockets: a line per connection opened and closed, with where the client is
 * (through trusted proxies only), how it ended and what went each way; never a token.
 */
class ConnectionLogTest {
    private static TestServer proxied;
    private static TestServer direct;
    private LogCapture capture;

    @BeforeAll
    static void start() {
        // The test's own address is a trusted proxy here: its X-Forwarded-For names the client.
        proxied = TestServer.start(Map.of("parley.http.trusted-proxies", "127.0.0.1,::1",
                "parley.limits.max-message-bytes", "2000",
                "parley.sessions.heartbeat", "PT1S"));
        direct = TestServer.start();
    }

    @AfterAll
    static void stop() {
        for (TestServer server : new TestServer[]{proxied, direct}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void listen() {
        capture = LogCapture.of(ConnectionLog.LOGGER);
    }

    @AfterEach
    void stopListening() {
        capture.close();
    }

    @Test
    void a_websocket_connection_is_logged_with_its_client_its_end_and_its_frames() throws Exception {
        String token = proxied.token("lena");
        String session;
        try (WsClient client = WsClient.connect(proxied.ws(), token, TestServer.ORIGIN,
                Map.of("X-Forwarded-For", "203.0.113.9, 198.51.100.7", "User-Agent", "chat-app/2.1 (\"test\")"))) {
            session = client.expect("welcome").get("session").asText();
            assertEquals("pong", client.command("ping").get("type").asText());
            assertEquals("pong", client.command("ping").get("type").asText());
        } // closes with 1000

        Map<String, Object> opened = await(session, "opened");
        assertEquals("lena", opened.get("user"));
        assertEquals("websocket", opened.get("transport"));
        assertEquals("198.51.100.7", opened.get("client"), "the right-most hop that is not a trusted proxy");
        assertEquals("chat-app/2.1 (\"test\")", opened.get("ua"));

        Map<String, Object> closed = await(session, "closed");
        assertEquals(1000, closed.get("code"));
        assertEquals("peer_closed", closed.get("reason"));
        assertEquals(2L, closed.get("frames_in"));
        assertEquals(3L, closed.get("frames_out"), "welcome and two pongs");
        assertTrue((Long) closed.get("duration_ms") >= 0);
        assertEquals("198.51.100.7", closed.get("client"));

        for (LogRecord record : capture.records()) {
            String line = record.getParameters()[0].toString();
            assertFalse(line.contains(token), line);
        }
        String line = lineOf(session, "closed");
        assertTrue(line.startsWith("connection event=closed session=" + session + " user=lena transport=websocket "
                + "client=198.51.100.7 ua=\"chat-app/2.1 (\\\"test\\\")\" duration_ms="), line);
        assertTrue(line.endsWith(" code=1000 reason=peer_closed frames_in=2 frames_out=3"), line);
    }

    @Test
    void without_trusted_proxies_a_client_cannot_choose_the_address_it_is_logged_with() {
        String session;
        try (WsClient client = WsClient.connect(direct.ws(), direct.token("mira"), TestServer.ORIGIN,
                Map.of("X-Forwarded-For", "198.51.100.7"))) {
            session = client.expect("welcome").get("session").asText();
        }
        String client = (String) await(session, "opened").get("client");
        assertTrue(client.equals("127.0.0.1") || client.equals("0:0:0:0:0:0:0:1"), client);
    }

    @Test
    void a_connection_the_server_ends_is_logged_with_the_close_code_it_sent() {
        String session;
        try (WsClient client = WsClient.connect(proxied.ws(), proxied.token("otto"), TestServer.ORIGIN)) {
            session = client.expect("welcome").get("session").asText();
            client.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(3000) + "\"}");
            assertEquals(1009, client.awaitClose());
        }
        Map<String, Object> closed = await(session, "closed");
        assertEquals(1009, closed.get("code"));
        assertEquals("too_big", closed.get("reason"));
    }

    @Test
    void an_event_stream_is_logged_when_it_opens_and_when_its_client_goes() {
        String session;
        try (SseStream stream = SseStream.open(proxied.http("/v1/events"), Map.of(
                "Authorization", "Bearer " + proxied.token("ines"), "X-Forwarded-For", "192.0.2.44"))) {
            assertEquals(200, stream.status());
            session = stream.expect("welcome").get("session").asText();
        }
        Map<String, Object> opened = await(session, "opened");
        assertEquals("sse", opened.get("transport"));
        assertEquals("192.0.2.44", opened.get("client"));
        assertEquals(false, opened.get("resumed"));
        // The server learns the client went away at its next write: a heartbeat, within a second here.
        Map<String, Object> closed = await(session, "closed");
        assertEquals("peer_closed", closed.get("reason"));
        assertFalse(closed.containsKey("frames_in"), "an event stream carries no commands");
        assertTrue((Long) closed.get("frames_out") >= 1, closed.toString());
    }

    private Map<String, Object> await(String session, String event) {
        return entry(session, event).fields();
    }

    private String lineOf(String session, String event) {
        return entry(session, event).toString();
    }

    private ConnectionLog.Entry entry(String session, String event) {
        LogRecord record = capture.await(r -> r.getLevel() == Level.INFO && r.getParameters() != null
                && r.getParameters()[0] instanceof ConnectionLog.Entry entry
                && session.equals(entry.fields().get("session")) && event.equals(entry.fields().get("event")),
                Duration.ofSeconds(10));
        return (ConnectionLog.Entry) record.getParameters()[0];
    }
}
