package io.parley.bootstrap;

import io.parley.testservices.LogCapture;
import io.parley.wire.RefusalLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and abandoned requests (issue 12, items 2 and 4): a client that sends its headers, or its body, a byte
 * at a time gets 408 and a closed connection at {@code request-head-timeout} ({@code request-body-timeout});
 * clients that give up mid-request leave
 * one refusal line, never a stack trace; an ordinary client on a kept-alive connection is not affected.
 */
class SlowRequestsTest {

    private LogCapture refusals;
    private LogCapture logs;
    private TestServer server;

    @BeforeEach
    void start() {
        refusals = LogCapture.of(RefusalLog.LOGGER);
        logs = LogCapture.of(""); // every logger: Helidon's and Parley's
        server = TestServer.start(Map.of("parley.http.request-head-timeout", "PT1S",
                "parley.http.request-body-timeout", "PT2S"));
    }

    @AfterEach
    void stop() {
        refusals.close();
        logs.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void headers_sent_a_byte_at_a_time_get_408_and_a_closed_connection_at_the_deadline() throws Exception {
        Trickled t = trickle("GET /v1/rooms?access_token=secret-token HTTP/1.1\r\nHost: x\r\n", 'X');
        assertTrue(t.answer().contains("\"code\":\"invalid\""), t.answer());
        assertTrue(t.tookMs() >= 900 && t.tookMs() < 4_000, "closed at the 1 s deadline (+ the 1 s sweep): " + t.tookMs());
        LogRecord line = refusals.await(r -> r.getMessage().contains("408 request_timeout"), Duration.ofSeconds(5));
        assertTrue(line.getMessage().contains("e.g. GET /v1/rooms from 127.0.0.1"), line.getMessage());
        assertTrue(!line.getMessage().contains("secret-token"), line.getMessage());
        assertNoStackTraces();
    }

    @Test
    void a_body_sent_a_byte_at_a_time_gets_408_and_a_closed_connection_at_the_body_deadline() throws Exception {
        String token = server.token("slow-body");
        Trickled t = trickle("POST /v1/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", ' ');
        assertTrue(t.answer().contains("the request's body did not arrive within 2 s of its headers"), t.answer());
        assertTrue(t.tookMs() >= 1_900 && t.tookMs() < 5_000, "closed at the 2 s deadline (+ the 1 s sweep): " + t.tookMs());
        LogRecord line = refusals.await(r -> r.getMessage().contains("408 request_timeout"), Duration.ofSeconds(5));
        assertTrue(line.getMessage().contains("e.g. POST /v1/rooms from 127.0.0.1"), line.getMessage());
        assertTrue(!line.getMessage().contains(token), line.getMessage());
        assertNoStackTraces();
        // The server still serves, and a quick POST with a body on a kept-alive connection is not touched.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            for (int i = 0; i < 2; i++) {
                byte[] body = ("{\"name\":\"quick " + i + "\"}").getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(("POST /v1/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                String response = ConnectionRulesTest.readResponse(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 201"), response);
                Thread.sleep(2_500); // idle between requests, longer than the body deadline
            }
        }
        assertEquals(1, refusals.records().stream().filter(r -> r.getMessage().contains("408")).count(),
                refusals.records().toString());
    }

    @Test
    void a_kept_alive_connection_whose_client_is_quick_is_not_touched() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = ConnectionRulesTest.readResponse(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                Thread.sleep(2_500); // idle between requests, longer than the head deadline
            }
        }
        assertTrue(refusals.records().stream().noneMatch(r -> r.getMessage().contains("408")),
                refusals.records().toString());
    }

    @Test
    void clients_that_give_up_mid_request_leave_one_line_and_no_stack_trace() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(("GET /v1/rooms HTTP/1.1\r\nHost: x\r\nX-Half: ")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(20);
            }
        }
        LogRecord line = refusals.await(r -> r.getMessage().contains("400 aborted"), Duration.ofSeconds(5));
        assertTrue(line.getMessage().contains("the client closed the connection before its request was read"),
                line.getMessage());
        Thread.sleep(500);
        assertEquals(1, refusals.records().stream().filter(r -> r.getMessage().contains("400 aborted")).count(),
                "one line per minute, not one per connection");
        Thread.sleep(2_300); // past the 1 s head deadline and its sweep: the connections ended, nothing is due
        assertTrue(refusals.records().stream().noneMatch(r -> r.getMessage().contains("408")),
                "no 408 for a request whose client had gone: " + refusals.records());
        assertNoStackTraces();
        // The server still serves.
        assertEquals(200, server.send(java.net.http.HttpRequest.newBuilder(server.http("/observe/health/live")))
                .statusCode());
    }

    @Test
    void a_request_helidon_refuses_in_its_headers_gets_its_answer_and_no_408_later() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /v1/rooms HTTP/1.1\r\nHost: x\r\nno colon in this header\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = ConnectionRulesTest.readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
        }
        Thread.sleep(2_300); // past the 1 s head deadline and its sweep
        assertTrue(refusals.records().stream().noneMatch(r -> r.getMessage().contains("408")),
                "the refused request's connection ended; nothing is due: " + refusals.records());
        assertNoStackTraces();
    }

    private record Trickled(String answer, long tookMs) {
    }

    /**
     * Sends {@code start}, then {@code filler} a byte every 200 ms until the server closes the connection (10 s
     * at most), and checks that it was answered 408 with {@code Connection: close}.
     */
    private Trickled trickle(String start, char filler) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write(start.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long began = System.nanoTime();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = false;
            while (!closed && System.nanoTime() - began < Duration.ofSeconds(10).toNanos()) {
                try {
                    out.write(filler);
                    out.flush();
                } catch (IOException e) {
                    // the server closed: read what it said before
                }
                closed = readAvailable(socket.getInputStream(), received);
            }
            long tookMs = Duration.ofNanos(System.nanoTime() - began).toMillis();
            String answer = received.toString(StandardCharsets.US_ASCII);
            assertTrue(closed, "the connection is closed; got " + answer);
            assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
            assertTrue(answer.contains("Connection: close"), answer);
            return new Trickled(answer, tookMs);
        }
    }

    private void assertNoStackTraces() throws InterruptedException {
        Thread.sleep(300);
        List<LogRecord> withTraces = logs.records().stream().filter(r -> r.getThrown() != null).toList();
        assertTrue(withTraces.isEmpty(), () -> "no stack trace for a client's doing: " + withTraces.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown()).toList());
    }

    /** Reads what arrived within the socket timeout; true once the server closed the connection. */
    private static boolean readAvailable(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                return true;
            }
            into.write(buffer, 0, n);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset after the close
        }
    }
}
