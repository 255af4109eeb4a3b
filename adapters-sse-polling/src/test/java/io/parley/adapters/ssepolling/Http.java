package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain HTTP calls of the long-poll and command endpoints. */
final class Http {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Http() {
    }

    /** A response: status and JSON body. */
    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Reply get(URI uri, String token) {
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET());
    }

    static Reply post(URI uri, String token, String body) {
        return send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(40)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Reply(response.statusCode(), body.isEmpty() ? null : Json.parse(body), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
