package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.in.SendMessage;
import io.parley.domain.Message;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.engine.ChatSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end over real sockets: a client that stops reading fills its socket buffers and then its outbound
 * queue; the server closes it with 4008, and the other clients in the room are not slowed down.
 */
class SlowConsumerTest {
    private static final int QUEUE_CAPACITY = 32;
    /** Each round is half a queue, so a client that keeps reading can never overflow. */
    private static final int ROUND = QUEUE_CAPACITY / 2;
    /** Enough to fill a loopback socket's buffers (a few MB) many times over; the test stops much earlier. */
    private static final int MAX_MESSAGES = 12_000;
    private static final String BODY = "x".repeat(3_900);

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "parley.sessions.queue-capacity", String.valueOf(QUEUE_CAPACITY),
                "parley.sessions.replay-limit", "16"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_reader_that_stops_reading_is_closed_with_4008_without_delaying_the_others() {
        String room = server.createRoom("crm", "Busy", "open", "slow", "fast1", "fast2", "fast3");
        RoomId roomId = RoomId.of(room);
        User crm = User.of("crm");
        Predicate<JsonNode> message = e -> e.path("type").asText().equals("message");

        WsClient slow = WsClient.connect(server.ws(), server.token("slow"), TestServer.ORIGIN, false);
        List<WsClient> fast = List.of(server.connect("fast1"), server.connect("fast2"), server.connect("fast3"));
        try {
            slow.sendRaw("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s1\"}");
            slow.request(2);
            assertEquals("ack", slow.expect(e -> "s1".equals(e.path("ref").asText(null))).get("type").asText());
            for (WsClient client : fast) {
                client.ack("subscribe", "room", room);
            }

            // Pump until the server gives up on the slow reader, in rounds that the fast clients take in full
            // before the next: they keep up, the slow one never reads.
            Map<Long, Long> sentNanos = new HashMap<>();
            List<Long> seqs = new ArrayList<>();
            int afterSlowClosed = 0;
            while (afterSlowClosed < 4 * ROUND) {
                assertTrue(seqs.size() < MAX_MESSAGES, "the slow reader was not closed after " + seqs.size()
                        + " messages of " + BODY.length() + " characters");
                for (int i = 0; i < ROUND; i++) {
                    long before = System.nanoTime();
                    Message sent = server.server().core().converse().send(crm, SendMessage.of(roomId, BODY)).message();
                    sentNanos.put(sent.seq(), before);
                    seqs.add(sent.seq());
                }
                for (WsClient client : fast) {
                    client.awaitMatching(message, seqs.size(), WsClient.TIMEOUT);
                }
                if (afterSlowClosed > 0 || !hasSession("slow")) {
                    afterSlowClosed += ROUND;
                }
            }

            for (WsClient client : fast) {
                List<WsClient.Received> received = client.awaitMatching(message, seqs.size(), WsClient.TIMEOUT);
                assertEquals(seqs, received.stream().map(r -> r.event().get("seq").asLong()).toList(),
                        "every message, once, in seq order");
                assertEquals(seqs.size(), client.durable(room).size(), "no other durable events, no duplicates");
                long[] latencies = received.stream()
                        .mapToLong(r -> r.nanos() - sentNanos.get(r.event().get("seq").asLong()))
                        .sorted()
                        .toArray();
                long p99 = Duration.ofNanos(latencies[(int) (latencies.length * 0.99)]).toMillis();
                long max = Duration.ofNanos(latencies[latencies.length - 1]).toMillis();
                assertTrue(p99 < 1_000 && max < 2_000, "fast client delivery p99 " + p99 + " ms, max " + max
                        + " ms over " + latencies.length + " messages; median "
                        + Duration.ofNanos(latencies[latencies.length / 2]).toMillis() + " ms");
                assertTrue(client.maybe(e -> e.path("type").asText().equals("error"), Duration.ZERO).isEmpty());
            }

            slow.request(Long.MAX_VALUE);
            assertEquals(4008, slow.awaitClose());
            List<Long> slowSeqs = slow.durable(room).stream().map(e -> e.get("seq").asLong()).toList();
            assertTrue(slowSeqs.size() < seqs.size(), "the slow reader got " + slowSeqs.size() + " of " + seqs.size());
            assertEquals(seqs.subList(0, slowSeqs.size()), slowSeqs,
                    "what the slow reader got is a gap-free prefix: it resumes from its last seq");
        } finally {
            slow.abort();
            fast.forEach(WsClient::close);
        }

        assertTrue(slowConsumerCloses() >= 1, "the slow-consumer close is counted");
    }

    @Test
    void a_reader_that_closed_as_slow_consumer_resumes_with_after_and_misses_nothing() {
        String room = server.createRoom("crm", "Resume", "open", "lagger", "pacer");
        RoomId roomId = RoomId.of(room);
        User crm = User.of("crm");
        Predicate<JsonNode> message = e -> e.path("type").asText().equals("message");
        WsClient slow = WsClient.connect(server.ws(), server.token("lagger"), TestServer.ORIGIN, false);
        try (WsClient pacer = server.connect("pacer")) {
            slow.sendRaw("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s1\"}");
            slow.request(2);
            slow.expect(e -> "s1".equals(e.path("ref").asText(null)));
            pacer.ack("subscribe", "room", room);
            List<Long> seqs = new ArrayList<>();
            while (hasSession("lagger")) {
                assertTrue(seqs.size() < MAX_MESSAGES, "the slow reader was not closed");
                for (int i = 0; i < ROUND; i++) {
                    seqs.add(server.server().core().converse().send(crm, SendMessage.of(roomId, BODY)).message()
                            .seq());
                }
                pacer.awaitMatching(message, seqs.size(), WsClient.TIMEOUT);
            }
            slow.request(Long.MAX_VALUE);
            assertEquals(4008, slow.awaitClose());
            List<JsonNode> got = slow.durable(room);
            long last = got.isEmpty() ? seqs.getFirst() - 1 : got.getLast().get("seq").asLong();

            try (WsClient back = server.connect("lagger")) {
                long resumeFrom = last;
                List<Long> replayed = new ArrayList<>();
                while (true) {
                    JsonNode ack = back.ack("subscribe", "room", room, "after", resumeFrom);
                    List<Long> page = back.durable(room).stream().map(e -> e.get("seq").asLong())
                            .filter(seq -> !replayed.contains(seq)).toList();
                    assertEquals(ack.get("replayed").asLong(), page.size());
                    replayed.addAll(page);
                    if (ack.get("complete").asBoolean()) {
                        break;
                    }
                    resumeFrom = replayed.getLast();
                }
                assertTrue(!replayed.isEmpty(), "the close discarded what was queued");
                assertEquals(seqs.subList(seqs.indexOf(last) + 1, seqs.size()), replayed,
                        "exactly the missed messages, in order, in pages of the replay limit");
            }
        } finally {
            slow.abort();
        }
    }

    @Test
    void a_reader_that_never_reads_again_loses_its_connection_at_the_close_timeout() throws Exception {
        String room = server.createRoom("crm", "Stuck", "open", "stuck");
        RoomId roomId = RoomId.of(room);
        User crm = User.of("crm");
        // A raw client that takes the upgrade and the subscribe ack, then never reads again.
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress(server.ws().getHost(), server.ws().getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + server.ws().getPath() + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: " + TestServer.ORIGIN + "\r\nAuthorization: Bearer "
                    + server.token("stuck") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(maskedText("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"ref\":\"s1\"}"));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\"s1\"")) {
                int b = in.read();
                assertTrue(b >= 0, "connection closed before the ack: " + seen);
                seen.append((char) b);
            }
            int sent = 0;
            while (hasSession("stuck")) {
                assertTrue(sent < MAX_MESSAGES, "the stuck reader was not closed");
                server.server().core().converse().send(crm, SendMessage.of(roomId, BODY));
                sent++;
            }
            // Its session is closed as slow; the close frame sits behind data the peer never reads. After the
            // close timeout (5 s) the server drops the socket rather than hold it until the 90 s idle timeout:
            // reading again, the peer finds the end of the stream soon after what was already in flight.
            Thread.sleep(Duration.ofSeconds(7));
            socket.setSoTimeout(10_000);
            byte[] buffer = new byte[64 * 1024];
            try {
                while (in.read(buffer) >= 0) {
                    // drain what the kernel had buffered
                }
            } catch (SocketException reset) {
                // a reset is a dropped connection too
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server still holds the connection 17 s after closing the session");
            }
        }
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(payload.length < 126);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        // mask key 0: the payload goes as it is
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }

    private static boolean hasSession(String user) {
        return server.server().sessions().sessions().stream()
                .map(ChatSession::user)
                .anyMatch(u -> u.id().value().equals(user));
    }

    private static double slowConsumerCloses() {
        HttpResponse<String> metrics = server.send(HttpRequest.newBuilder(server.http("/observe/metrics"))
                .header("Accept", "text/plain"));
        assertEquals(200, metrics.statusCode());
        Matcher line = Pattern.compile("(?m)^parley_sessions_slow_consumer_closes_total(\\{[^}]*})? (\\S+)$")
                .matcher(metrics.body());
        assertTrue(line.find(), "no slow-consumer counter in: " + Arrays.stream(metrics.body().split("\n"))
                .filter(l -> l.startsWith("parley")).toList());
        return Double.parseDouble(line.group(2));
    }
}
