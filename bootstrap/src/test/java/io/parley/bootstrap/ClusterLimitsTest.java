package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-user limits hold for the deployment, not once per node (issue 12, item 1): two nodes sharing a
 * Redis, a user spreading connections, streams, rooms and commands over both, and each limit holding for the
 * two together.
 */
class ClusterLimitsTest {
    private static final String ORIGIN = TestServer.ORIGIN;

    private static RedisNodes nodes;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() {
        Map<String, String> limits = Map.of(
                "parley.sessions.max-connections-per-user", "2",
                "parley.http-sessions.max-streams-per-user", "1",
                "parley.limits.rooms-per-user-per-hour", "2",
                "parley.sessions.commands-per-second-per-user", "1",
                "parley.sessions.command-burst-per-user", "10");
        nodes = new RedisNodes(TestRedis.uri());
        a = nodes.start(limits);
        b = nodes.start(limits);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void websockets_per_user_are_counted_on_both_nodes_together() throws Exception {
        WsClient onA = a.connect("ada");
        WsClient onB = b.connect("ada");
        assertEquals(429, WsClient.refusedStatus(() -> WsClient.connect(a.ws(), a.token("ada"), ORIGIN)));
        assertEquals(429, WsClient.refusedStatus(() -> WsClient.connect(b.ws(), b.token("ada"), ORIGIN)));
        b.connect("ben").close(); // other users are not affected

        onB.close(); // frees a place on either node
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        WsClient again = null;
        while (again == null) {
            try {
                again = WsClient.connect(a.ws(), a.token("ada"), ORIGIN);
            } catch (RuntimeException | AssertionError refused) {
                assertTrue(System.nanoTime() < deadline, "the place of the closed connection is freed");
                Thread.sleep(50);
            }
        }
        again.close();
        onA.close();
    }

    @Test
    void sse_streams_per_user_are_counted_on_both_nodes_together() {
        try (SseStream first = SseStream.open(a.http("/v1/events"), Map.of("Authorization", "Bearer " + a.token("cy")))) {
            assertEquals(200, first.status());
            try (SseStream second = SseStream.open(b.http("/v1/events"), Map.of("Authorization", "Bearer " + b.token("cy")))) {
                assertEquals(429, second.status(), "one stream in all, whichever node");
            }
            try (SseStream other = SseStream.open(b.http("/v1/events"), Map.of("Authorization", "Bearer " + b.token("di")))) {
                assertEquals(200, other.status(), "another user is not charged");
            }
        }
    }

    @Test
    void rooms_created_per_hour_are_counted_on_both_nodes_together() {
        a.createRoom("eve", "One", "open");
        b.createRoom("eve", "Two", "open");
        for (TestServer node : new TestServer[] {a, b}) {
            HttpResponse<String> third = node.rest("POST", "/v1/rooms", "eve", "{\"name\":\"Three\"}");
            assertEquals(429, third.statusCode(), third.body());
            assertEquals("rate_limited", Json.parse(third.body()).get("error").get("code").asText());
        }
        b.createRoom("fay", "Fay's", "open");
    }

    @Test
    void a_users_command_rate_is_counted_on_both_nodes_together() {
        try (WsClient onA = a.connect("gus"); WsClient onB = b.connect("gus")) {
            int pongs = 0;
            int refused = 0;
            for (int i = 0; i < 30; i++) {
                JsonNode reply = (i % 2 == 0 ? onA : onB).command("ping");
                if (reply.path("type").asText().equals("pong")) {
                    pongs++;
                } else {
                    assertEquals("rate_limited", reply.path("code").asText(), reply.toString());
                    refused++;
                }
            }
            // A burst of 10 for the two nodes together (each alone would give 10), plus one a second, plus at
            // most one unspent grant (a tenth of the burst) per node.
            assertTrue(pongs >= 10 && pongs <= 14, "pongs: " + pongs);
            assertEquals(30 - pongs, refused);
        }
    }
}
