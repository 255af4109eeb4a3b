package io.parley.bootstrap;

import io.parley.adapters.auth.DevTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Parley server on a free loopback port, with a known HS256 secret so tests can mint tokens, and
 * helpers for REST calls and WebSocket clients.
 */
final class TestServer implements AutoCloseable {
    static final String SECRET = "test-secret-test-secret-test-secret-0123456789";
    static final String ORIGIN = "https://app.example.com";

    private final ParleyServer server;
    private final DevTokens tokens = DevTokens.create(SECRET, Clock.systemUTC());
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("server.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("parley.dev", "false");
        config.put("parley.auth.hs256-secret", SECRET);
        config.put("parley.origins", ORIGIN);
        config.put("parley.store.kind", "memory");
        config.put("parley.fanout.kind", "memory");
        config.put("parley.sessions.commands-per-second", "1000");
        config.put("parley.sessions.command-burst", "1000");
        config.putAll(overrides);
        this.server = ParleyServer.start(config);
    }

    static TestServer start() {
        return new TestServer(Map.of());
    }

    static TestServer start(Map<String, String> overrides) {
        return new TestServer(overrides);
    }

    ParleyServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port() + "/v1/ws");
    }

    String token(String user) {
        return tokens.issue(user, user.substring(0, 1).toUpperCase() + user.substring(1), Duration.ofHours(1));
    }

    String token(String user, Duration ttl) {
        return tokens.issue(user, user, ttl);
    }

    /** A token for {@code user} issued {@code ago} (its iat), valid for an hour from then. */
    String tokenIssued(String user, Duration ago) {
        return DevTokens.create(SECRET, Clock.offset(Clock.systemUTC(), ago.negated()))
                .issue(user, user, Duration.ofHours(1));
    }

    /** Connects a WebSocket client for {@code user} and waits for its welcome. */
    WsClient connect(String user) {
        WsClient client = WsClient.connect(ws(), token(user), ORIGIN);
        client.expect("welcome");
        return client;
    }

    HttpResponse<String> rest(String method, String path, String user, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token(user))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }

    /** Calls the server API ({@code /v1/server} + {@code path}) with an API key ({@code null}: none). */
    HttpResponse<String> serverApi(String method, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http("/v1/server" + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    /** Sends a request as built by the caller (any headers, or none). */
    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a room owned by {@code owner} with these members and returns its id. */
    String createRoom(String owner, String name, String visibility, String... members) {
        StringBuilder list = new StringBuilder();
        for (String m : members) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(m).append('"');
        }
        HttpResponse<String> response = rest("POST", "/v1/rooms", owner,
                "{\"name\":\"" + name + "\",\"visibility\":\"" + visibility + "\",\"members\":[" + list + "]}");
        if (response.statusCode() != 201) {
            throw new AssertionError("create room: " + response.statusCode() + " " + response.body());
        }
        return Json.parse(response.body()).get("id").asText();
    }

    @Override
    public void close() {
        server.stop();
    }
}
