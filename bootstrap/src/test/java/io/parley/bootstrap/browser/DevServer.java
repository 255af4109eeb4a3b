package io.parley.bootstrap.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.application.port.in.SendMessage;
import io.parley.bootstrap.ParleyServer;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Parley server in dev mode (the demo page and dev tokens need it) on a loopback port, with its dev
 * secret in a temp directory. Its in-memory store is shared by name across {@link #restart restarts}, as a
 * database would be, so a restart loses sessions but no data.
 */
final class DevServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> config = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path directory;
    private ParleyServer server;

    private DevServer(Map<String, String> overrides) {
        try {
            directory = Files.createTempDirectory("parley-dev-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("server.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("parley.dev", "true");
        config.put("parley.dev-secret-file", directory.resolve("dev-secret").toString());
        config.put("parley.store.kind", "memory");
        config.put("parley.store.memory.shared-name", "browser-test-" + UUID.randomUUID());
        config.put("parley.fanout.kind", "memory");
        config.put("parley.sessions.commands-per-second", "1000");
        config.put("parley.sessions.command-burst", "1000");
        config.put("parley.shutdown.drain-timeout", "PT2S");
        config.putAll(overrides);
        server = ParleyServer.start(config);
    }

    static DevServer start() {
        return new DevServer(Map.of());
    }

    static DevServer start(Map<String, String> overrides) {
        return new DevServer(overrides);
    }

    int port() {
        return server.port();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    ParleyServer server() {
        return server;
    }

    /** Stops the server (every session gets its 1001 goodbye), runs {@code whileDown}, starts it on the same port. */
    void restart(Runnable whileDown) {
        int port = server.port();
        server.stop();
        whileDown.run();
        config.put("server.port", Integer.toString(port));
        server = ParleyServer.start(config);
    }

    void stop() {
        server.stop();
    }

    String token(String user) {
        return server.devTokens().orElseThrow().issue(user, displayName(user), Duration.ofHours(1));
    }

    static String displayName(String user) {
        return user.substring(0, 1).toUpperCase() + user.substring(1);
    }

    /** Creates an open room through the REST API and returns its id. */
    String createRoom(String owner, String name, String... members) {
        var body = JSON.createObjectNode().put("name", name).put("visibility", "open");
        var list = body.putArray("members");
        for (String member : members) {
            list.add(member);
        }
        JsonNode room = rest("POST", "/v1/rooms", owner, body.toString(), 201);
        return room.get("id").asText();
    }

    /** Changes a room's settings through the REST API, as its owner. */
    void patchRoom(String owner, String room, String settings) {
        rest("PATCH", "/v1/rooms/" + room, owner, settings, 200);
    }

    /** Posts a message as {@code user} through the core, as embedding code would. */
    void post(String user, String room, String body) {
        server.core().converse().send(new User(UserId.of(user), displayName(user)), SendMessage.of(RoomId.of(room), body));
    }

    /** The room's whole history as the REST API returns it, oldest first. */
    List<JsonNode> history(String user, String room) {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = rest("GET", "/v1/rooms/" + room + "/messages?after=" + after + "&limit=200", user, null, 200);
            page.get("messages").forEach(all::add);
            if (!page.get("has_more").asBoolean()) {
                return all;
            }
            after = all.get(all.size() - 1).get("seq").asLong();
        }
    }

    private JsonNode rest(String method, String path, String user, String body, int expected) {
        HttpRequest request = HttpRequest.newBuilder(base().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token(user))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
