package io.parley.benchmarks;

import io.parley.adapters.auth.DevTokens;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test: where it listens, how to make tokens for it (an HS256 secret; the baseline accepts
 * any), and its process id when known, for CPU and memory figures.
 *
 * @param name   what the report calls it ("baseline", "parley")
 * @param host   its address
 * @param port   its port
 * @param secret the HS256 secret its tokens are signed with
 * @param pid    its process, when it runs on this machine
 */
record Target(String name, String host, int port, String secret, OptionalLong pid) {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    URI uri(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    /** @return tokens for this server, valid for two hours */
    Tokens tokens() {
        DevTokens tokens = DevTokens.create(secret, Clock.systemUTC());
        return user -> tokens.issue(user, user, Duration.ofHours(2));
    }

    /** Makes tokens. */
    interface Tokens {
        String token(String user);
    }

    /** Creates an open room owned by {@code owner} through REST and returns its id. */
    String createRoom(Tokens tokens, String owner, String name) {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri("/v1/rooms"))
                .header("Authorization", "Bearer " + tokens.token(owner))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"visibility\":\"open\"}"))
                .build());
        Matcher m = ID.matcher(res.body());
        if (res.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException(name() + ": creating a room answered " + res.statusCode() + " " + res.body());
        }
        return m.group(1);
    }

    /** Posts commands for an SSE or long-poll session; returns the reply array. */
    String postCommands(Tokens tokens, String user, String session, String commands) {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri("/v1/commands?session=" + session))
                .header("Authorization", "Bearer " + tokens.token(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(commands))
                .build());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(name() + ": commands answered " + res.statusCode() + " " + res.body());
        }
        return res.body();
    }

    /** @return true once {@code /observe/health/ready} answers 200 */
    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/observe/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Optional<Long> liveHeapBytes() {
        return pid.isPresent() ? ProcStats.liveHeapBytes(pid.getAsLong()) : Optional.empty();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(name() + " did not answer " + request.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
