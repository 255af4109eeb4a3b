package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Several Parley servers of one deployment in this JVM: one Redis (a namespace of their own on it) and one
 * store (an in-memory store shared by name, standing in for the database). Short presence TTL, so that a
 * killed node's users expire within a test.
 */
final class RedisNodes implements AutoCloseable {
    static final Duration PRESENCE_TTL = Duration.ofSeconds(2);
    static final Duration PRESENCE_SWEEP = Duration.ofMillis(400);

    private final String redisUri;
    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private final List<TestServer> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    RedisNodes(String redisUri) {
        this.redisUri = redisUri;
    }

    /** Starts one more node of the deployment. */
    synchronized TestServer start() {
        return start(Map.of());
    }

    /** Starts one more node of the deployment with these settings on top. */
    synchronized TestServer start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("parley.store.memory.shared-name", "redis-nodes-" + scope);
        config.put("parley.fanout.kind", "redis");
        config.put("parley.fanout.redis.uri", redisUri);
        config.put("parley.fanout.redis.namespace", "e2e-" + scope);
        config.put("parley.fanout.redis.presence-ttl", PRESENCE_TTL.toString());
        config.put("parley.fanout.redis.presence-sweep", PRESENCE_SWEEP.toString());
        config.put("parley.fanout.redis.timeout", "PT1S");
        config.putAll(extra);
        TestServer server = TestServer.start(config);
        servers.add(server);
        return server;
    }

    /** @return the HTTP status of the server's readiness check */
    int readiness(TestServer server) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/observe/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The seqs of the {@code message} events a client received for a room, in arrival order. */
    static List<Long> messageSeqs(WsClient client, String room) {
        return client.durable(room).stream()
                .filter(e -> e.path("type").asText().equals("message"))
                .map(e -> e.get("seq").asLong())
                .toList();
    }

    /** Sends {@code count} messages and returns their seqs, from the acks. */
    static List<Long> send(WsClient client, String room, String prefix, int count) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode message = client.ack("send", "room", room, "body", prefix + i, "client_id", prefix + i)
                    .get("message");
            seqs.add(message.get("seq").asLong());
        }
        return seqs;
    }

    /** Polls until the condition holds (or fails after {@code timeout}). */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        servers.forEach(TestServer::close);
        servers.clear();
    }
}
