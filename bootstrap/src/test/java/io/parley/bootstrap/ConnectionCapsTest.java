package io.parley.bootstrap;

import io.parley.testservices.LogCapture;
import io.parley.wire.RefusalLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection caps (issue 12, item 2): per client address, in total, and new connections per second per
 * address, each answered before any work with its documented status; connections from a trusted proxy count
 * toward the total only. Real sockets against a real server.
 */
class ConnectionCapsTest {
    private final List<Socket> sockets = new ArrayList<>();
    private LogCapture refusals;
    private TestServer server;

    private void start(Map<String, String> settings) {
        refusals = LogCapture.of(RefusalLog.LOGGER);
        server = TestServer.start(settings);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (refusals != null) {
            refusals.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connections_over_the_address_cap_get_503_before_any_work_and_a_closed_one_frees_a_place() throws Exception {
        start(Map.of("parley.http.max-connections-per-address", "3"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, status(open()), "connection " + i);
        }
        Socket fourth = open();
        String refused = request(fourth);
        assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
        assertTrue(refused.contains("Retry-After: 5") && refused.contains("Connection: close"), refused);
        assertTrue(refused.contains("{\"error\":{\"code\":\"unavailable\",\"message\":\"too many open connections from this address\"}}"),
                refused);
        assertEquals(-1, fourth.getInputStream().read(), "closed after the answer");

        sockets.removeFirst().close();
        awaitStatus(200);
        assertTrue(refusals.await(r -> r.getMessage().contains("503 unavailable"), Duration.ofSeconds(5)).getMessage()
                .contains("from 127.0.0.1: too many open connections from this address"));
    }

    @Test
    void sockets_that_never_send_a_byte_count_toward_the_address_cap() throws Exception {
        start(Map.of("parley.http.max-connections-per-address", "3"));
        for (int i = 0; i < 3; i++) {
            open(); // connected, silent
        }
        // Each is counted when Helidon starts its handler, before reading a byte. Handlers start in no fixed
        // order, so a request sent now could be counted before the third silent socket and take its place:
        // the cap would then (rightly) refuse that socket instead. Wait until the three are counted.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.server().openConnections() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(3, server.server().openConnections(), "silent sockets counted: " + states());
        assertEquals(503, status(open()), "a fourth connection while three silent ones are open");
        assertEquals(List.of("open", "open", "open"), states().subList(0, 3), "nothing answered to a silent socket");

        sockets.removeFirst().close();
        awaitStatus(200);
    }

    @Test
    void new_connections_faster_than_the_address_rate_get_429() throws Exception {
        start(Map.of("parley.http.connections-per-second-per-address", "2")); // bursts of 4
        int ok = 0;
        String refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5_000);
                String answer = request(socket);
                if (answer.startsWith("HTTP/1.1 200")) {
                    ok++;
                } else {
                    refused = answer;
                }
            }
        }
        assertTrue(ok >= 4 && ok <= 5, "a burst of twice the rate passes: " + ok);
        assertTrue(refused != null && refused.startsWith("HTTP/1.1 429 Too Many Requests\r\n"), refused);
        assertTrue(refused.contains("\"code\":\"rate_limited\""), refused);
        Thread.sleep(1_100); // two new connections a second come back
        assertEquals(200, status(open()));
    }

    @Test
    void the_total_cap_holds_and_a_trusted_proxy_counts_toward_it_only() throws Exception {
        start(Map.of("parley.http.max-connections", "4", "parley.http.max-connections-per-address", "2",
                "parley.http.trusted-proxies", "127.0.0.1"));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, status(open()), "from the trusted proxy, past the address cap: " + i);
        }
        String refused = request(open());
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("the server is at its connection limit"), refused);
        sockets.removeFirst().close();
        awaitStatus(200);
    }

    /** A new kept-alive connection (the WebSocket upgrade path is the same selector). */
    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5_000);
        sockets.add(socket);
        return socket;
    }

    private void awaitStatus(int expected) throws Exception {
        awaitStatus(expected, Duration.ofSeconds(5));
    }

    private void awaitStatus(int expected, Duration within) throws Exception {
        int last = statusWithin(expected, within);
        assertEquals(expected, last, "this test's sockets: " + states());
    }

    /** @return {@code expected} as soon as a new connection gets it, else the last status seen at the deadline */
    private int statusWithin(int expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5_000);
                last = status(socket);
            }
            if (last == expected) {
                return last;
            }
            Thread.sleep(50); // the connection just closed is released when Helidon's handler ends
        }
        return last;
    }

    /** @return for each socket this test opened: open (nothing to read), answered (bytes came) or closed */
    private List<String> states() throws IOException {
        List<String> states = new ArrayList<>();
        for (Socket socket : sockets) {
            socket.setSoTimeout(200);
            try {
                states.add(socket.getInputStream().read() == -1 ? "closed" : "answered");
            } catch (java.net.SocketTimeoutException e) {
                states.add("open");
            } catch (IOException e) {
                states.add("closed");
            }
        }
        return states;
    }

    private static int status(Socket socket) throws IOException {
        String head = request(socket);
        return head.length() < 12 ? -1 : Integer.parseInt(head.substring(9, 12));
    }

    /** Sends a request on the connection and returns the response (head and body). */
    private static String request(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return ConnectionRulesTest.readResponse(socket.getInputStream());
    }
}
