package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.testservices.EmbeddedPostgresServer;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server on PostgreSQL (`parley.store.kind: jdbc`): durability, outages, several nodes on one database. */
class PostgresServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Map<String, String> jdbc(TestDatabase db) {
        Map<String, String> config = new HashMap<>();
        config.put("parley.store.kind", "jdbc");
        config.put("parley.store.jdbc.url", db.url());
        config.put("parley.store.jdbc.user", db.user());
        config.put("parley.store.jdbc.password", db.password());
        config.put("parley.store.jdbc.statement-timeout", "PT2S");
        config.put("parley.store.jdbc.connection-timeout", "PT1S");
        return config;
    }

    @Test
    void everything_written_before_a_restart_is_there_after_it_and_a_client_resumes_with_exactly_what_it_missed() {
        try (TestDatabase db = TestPostgres.createDatabase()) {
            String room;
            long seen;
            String editedId;
            String deletedId;
            try (TestServer first = TestServer.start(jdbc(db))) {
                room = first.createRoom("alice", "Durable", "open", "bob");
                try (WsClient alice = first.connect("alice"); WsClient bob = first.connect("bob")) {
                    bob.ack("subscribe", "room", room);
                    editedId = alice.ack("send", "room", room, "body", "draft").get("message").get("id").asText();
                    deletedId = alice.ack("send", "room", room, "body", "oops").get("message").get("id").asText();
                    alice.ack("edit", "room", room, "message_id", editedId, "body", "final");
                    alice.ack("delete", "room", room, "message_id", deletedId);
                    seen = bob.expect("message_deleted").get("seq").asLong();
                    bob.ack("read", "room", room, "seq", seen);
                    bob.abort();
                    alice.ack("send", "room", room, "body", "while bob was away 1");
                    alice.ack("send", "room", room, "body", "while bob was away 2");
                }
            }
            try (TestServer second = TestServer.start(jdbc(db)); WsClient bob = second.connect("bob")) {
                JsonNode history = Json.parse(second.rest("GET", "/v1/rooms/" + room + "/messages", "bob", null).body());
                JsonNode messages = history.get("messages");
                assertEquals(4, messages.size());
                assertEquals("while bob was away 2", messages.get(0).get("body").asText());
                assertTrue(messages.get(2).get("deleted").asBoolean(), "the tombstone survived");
                assertEquals("final", messages.get(3).get("body").asText(), "the edit survived");

                JsonNode listed = Json.parse(second.rest("GET", "/v1/rooms", "bob", null).body()).get("rooms").get(0);
                assertEquals(seen, listed.get("read_up_to").asLong(), "the read marker survived");
                assertEquals(2, listed.get("unread").asLong());

                JsonNode ack = bob.ack("subscribe", "room", room, "after", seen);
                assertEquals(3, ack.get("replayed").asLong(), "bob's own read receipt and the two messages");
                List<JsonNode> replayed = bob.durable(room);
                assertEquals(List.of(seen + 1, seen + 2, seen + 3), replayed.stream().map(e -> e.get("seq").asLong())
                        .toList());
                assertEquals("read", replayed.get(0).get("type").asText());
                assertEquals("while bob was away 1", replayed.get(1).get("message").get("body").asText());
                assertEquals(403, second.rest("GET", "/v1/rooms/" + room + "/messages", "mallory", null).statusCode(),
                        "memberships survived too");
            }
        }
    }

    @Test
    void a_database_outage_fails_commands_fast_turns_readiness_down_keeps_liveness_up_and_heals_by_itself() {
        try (EmbeddedPostgresServer postgres = TestPostgres.startPrivateServer();
             TestDatabase db = postgres.createDatabase();
             TestServer server = TestServer.start(jdbc(db))) {
            String room = server.createRoom("carol", "Outage", "open");
            try (WsClient carol = server.connect("carol")) {
                carol.ack("subscribe", "room", room);
                assertEquals(200, status(server, "/observe/health/ready"));

                postgres.stop();
                long started = System.nanoTime();
                JsonNode refused = carol.command("send", "room", room, "body", "into the void");
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertEquals("error", refused.get("type").asText());
                assertEquals("unavailable", refused.get("code").asText());
                assertTrue(millis < 5_000, "failed fast: " + millis + " ms");
                assertEquals(503, server.rest("GET", "/v1/rooms", "carol", null).statusCode());
                assertEquals(503, status(server, "/observe/health/ready"));
                assertEquals(200, status(server, "/observe/health/live"));
                assertEquals("pong", carol.command("ping").get("type").asText(), "the connection survived");

                postgres.restart();
                awaitStatus(server, "/observe/health/ready", 200);
                JsonNode sent = carol.ack("send", "room", room, "body", "back");
                assertEquals("back", carol.expect("message").get("message").get("body").asText());
                assertEquals(sent.get("message").get("seq").asLong(), 2, "no seq was used by the failed send");
            }
        }
    }

    @Test
    void two_nodes_with_eight_senders_each_into_one_room_store_seqs_one_to_n_and_every_subscriber_sees_them_all() {
        String namespace = "pg-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestDatabase db = TestPostgres.createDatabase()) {
            Map<String, String> config = jdbc(db);
            config.put("parley.fanout.kind", "redis");
            config.put("parley.fanout.redis.uri", TestRedis.uri());
            config.put("parley.fanout.redis.namespace", namespace);
            try (TestServer a = TestServer.start(config); TestServer b = TestServer.start(config)) {
                List<String> senders = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    senders.add("s" + i);
                }
                String room = a.createRoom("owner", "Hot", "open", senders.toArray(String[]::new));
                long start = Long.parseLong(Json.parse(a.rest("GET", "/v1/rooms", "owner", null).body())
                        .get("rooms").get(0).get("last_seq").asText());
                try (WsClient watchA = a.connect("owner"); WsClient watchB = b.connect("owner")) {
                    watchA.ack("subscribe", "room", room);
                    watchB.ack("subscribe", "room", room);
                    int perSender = 25;
                    ExecutorService pool = Executors.newFixedThreadPool(16);
                    List<Future<?>> running = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        TestServer node = i % 2 == 0 ? a : b;
                        String user = senders.get(i);
                        running.add(pool.submit(() -> {
                            try (WsClient sender = node.connect(user)) {
                                for (int m = 0; m < perSender; m++) {
                                    sender.ack("send", "room", room, "body", user + "-" + m);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : running) {
                        f.get();
                    }
                    pool.shutdown();
                    long total = 16L * perSender;
                    long last = start + total;
                    for (WsClient watcher : List.of(watchA, watchB)) {
                        watcher.expectReceived(e -> e.path("seq").asLong() == last, Duration.ofSeconds(20));
                        List<Long> seqs = watcher.durable(room).stream().map(e -> e.get("seq").asLong()).toList();
                        List<Long> expected = new ArrayList<>();
                        for (long s = start + 1; s <= last; s++) {
                            expected.add(s);
                        }
                        assertEquals(expected, seqs, "every seq once, in order, on both nodes");
                    }
                    JsonNode oldest = Json.parse(a.rest("GET", "/v1/rooms/" + room + "/messages?after=0&limit=1",
                            "owner", null).body()).get("messages").get(0);
                    assertEquals(start + 1, oldest.get("seq").asLong());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static int status(TestServer server, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void awaitStatus(TestServer server, String path, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status(server, path);
            if (last == expected) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(path + " answered " + last + ", not " + expected);
    }
}
