package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks across a real {@code kill -9} of the server process (SIGKILL: no shutdown hook, no drain) with
 * PostgreSQL: messages are posted while the receiver fails and while it is being delivered to, the process
 * is killed, a new process on the same database delivers what the dead one left. Nothing is lost, each room's
 * deliveries arrive in seq order, and a delivery is repeated only when the dead process had made it without
 * recording it (at least once).
 */
class WebhooksKillIT {
    private static final String SECRET = "kill-test-secret-0123456789abcdef012345";
    private static final String KEY = "kill-test-server-api-key-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebhooksTest.Receiver receiver = new WebhooksTest.Receiver();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        receiver.stop();
    }

    @Test
    void a_killed_servers_pending_deliveries_are_made_by_the_next_process(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestPostgres.createDatabase()) {
            int port = freePort();
            Process first = start(dir.resolve("first.log"), port, db);
            List<String> rooms = List.of("deal-1", "deal-2", "deal-3");
            for (String room : rooms) {
                assertEquals(201, call("PUT", port, "/v1/server/rooms/" + room,
                        "{\"owner\":\"alice\",\"name\":\"" + room + "\",\"members\":[\"bob\"]}").statusCode());
            }
            Map<String, Long> last = new HashMap<>();
            receiver.status = 503; // deliveries fail: they stay pending in the outbox
            post(port, rooms, 0, 10, last);
            receiver.delayMillis = 50; // then they are made, slowly, and the process is killed while it makes them
            receiver.status = 200;
            receiver.await("the first retried delivery", Duration.ofSeconds(30), () -> !receiver.deliveries.isEmpty());
            post(port, rooms, 10, 40, last);
            first.destroyForcibly(); // SIGKILL
            assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            int deliveredBeforeKill = receiver.deliveries.size();
            long events = last.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(deliveredBeforeKill < events, "the first process left deliveries when it was killed: "
                    + deliveredBeforeKill + " of " + events);
            receiver.delayMillis = 0;

            start(dir.resolve("second.log"), port, db);
            for (String room : rooms) {
                receiver.await("every event of " + room, Duration.ofSeconds(60),
                        () -> new LinkedHashSet<>(receiver.seqs(room)).size() >= last.get(room));
                List<Long> seqs = receiver.seqs(room);
                List<Long> distinct = List.copyOf(new LinkedHashSet<>(seqs));
                assertEquals(java.util.stream.LongStream.rangeClosed(1, last.get(room)).boxed().toList(), distinct,
                        room + ": every event, first delivered in seq order");
                assertOrderedWithReplays(room, seqs);
            }
            assertTrue(receiver.signed.stream().allMatch(Boolean::booleanValue), "every delivery signed");
        }
    }

    /**
     * In seq order per room, except that the second process may start again from the last event the first
     * one recorded: one step back at most, after which the order holds again.
     */
    private static void assertOrderedWithReplays(String room, List<Long> seqs) {
        int stepsBack = 0;
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                stepsBack++;
            } else {
                assertEquals(seqs.get(i - 1) + 1, seqs.get(i), room + ": no event skipped in " + seqs);
            }
        }
        assertTrue(stepsBack <= 1, room + ": at most one replay, after the kill: " + seqs);
    }

    private void post(int port, List<String> rooms, int from, int to, Map<String, Long> last) {
        for (int i = from; i < to; i++) {
            String room = rooms.get(i % rooms.size());
            HttpResponse<String> posted = call("POST", port, "/v1/server/rooms/" + room + "/messages",
                    "{\"as\":\"alice\",\"body\":\"m" + i + "\",\"client_id\":\"c" + i + "\"}");
            assertEquals(201, posted.statusCode(), posted.body());
            JsonNode message = Json.parse(posted.body()).get("message");
            last.put(room, message.get("seq").asLong());
        }
    }

    private Process start(Path log, int port, TestDatabase db) throws Exception {
        Path jar = Path.of(System.getProperty("parley.jar", "target/parley.jar"));
        assertTrue(Files.isRegularFile(jar), "built by mvn package: " + jar);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PARLEY_PORT", String.valueOf(port));
        env.put("PARLEY_HOST", "127.0.0.1");
        env.put("PARLEY_JWT_SECRET", SECRET);
        env.put("PARLEY_STORE", "jdbc");
        env.put("PARLEY_DB_URL", db.url());
        env.put("PARLEY_DB_USER", db.user());
        env.put("PARLEY_DB_PASSWORD", db.password());
        env.put("PARLEY_SERVER_API_KEYS", "crm:" + io.parley.adapters.rest.ServerKeys.sha256(KEY) + ":rooms+messages");
        env.put("PARLEY_WEBHOOK_URL", receiver.url());
        env.put("PARLEY_WEBHOOK_SECRET", WebhooksTest.SECRET);
        Process process = builder.start();
        processes.add(process);
        ServerProcesses.awaitReady(http, port, process, log);
        return process;
    }

    private HttpResponse<String> call(String method, int port, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
