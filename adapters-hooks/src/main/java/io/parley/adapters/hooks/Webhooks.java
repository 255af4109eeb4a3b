package io.parley.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.application.port.out.EventListener;
import io.parley.domain.RoomEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Webhooks: every durable event of every room, POSTed to a URL the deployment configures, so the product's
 * backend learns of messages, edits, deletes, joins, leaves and room changes without holding a socket. Each
 * endpoint is an {@link EventListener} of its own ({@code webhook:<name>}), so it gets each event at least once
 * (exactly once unless a node dies or the store fails between the answer and the record of it), in seq order per
 * room, resuming after a restart from where it stopped (durably with the PostgreSQL store), one node delivering
 * each room; an endpoint that fails or hangs is retried with backoff and holds up only itself. The protocol
 * (body, headers, signature) is in this module's README.
 */
public final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One endpoint.
     *
     * @param name    a name for its feed, logs and metrics (letters, digits, {@code . _ -})
     * @param url     where events are POSTed ({@code http} or {@code https})
     * @param secret  the shared secret the body is signed with ({@code Parley-Signature})
     * @param events  the event types it wants ({@code message}, {@code room_created}, …); empty: all
     * @param timeout how long one delivery may take before it counts as failed (and is retried)
     */
    public record Endpoint(String name, URI url, Optional<String> secret, Set<String> events, Duration timeout) {
        /** Checks the parts. */
        public Endpoint {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a webhook's name is 1 to 64 letters, digits and . _ -");
            }
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("webhook " + name + ": the url must be http:// or https://");
            }
            Objects.requireNonNull(secret, "secret");
            events = Set.copyOf(events);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("webhook " + name + ": the timeout must be positive");
            }
        }

        /** @return the name of its feed (its progress is kept under it) */
        public String feed() {
            return "webhook:" + name;
        }
    }

    private Webhooks() {
    }

    /**
     * @param endpoint the endpoint
     * @param encoder  a durable event as clients receive it (the protocol's JSON object)
     * @param clock    the time in signatures
     * @return the listener that delivers to it; register it under {@link Endpoint#feed()}
     */
    public static EventListener listener(Endpoint endpoint, Function<RoomEvent, String> encoder, Clock clock) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(endpoint.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return event -> {
            JsonNode encoded = JSON.readTree(encoder.apply(event));
            String type = type(event, encoded);
            if (!endpoint.events().isEmpty() && !endpoint.events().contains(type)) {
                return;
            }
            String id = endpoint.name() + ":" + event.room().value() + ":" + event.seq();
            ObjectNode body = JSON.createObjectNode();
            body.put("id", id);
            body.put("type", type);
            body.put("room", event.room().value());
            body.put("seq", event.seq());
            body.set("event", encoded);
            String text = body.toString();
            HttpRequest.Builder post = HttpRequest.newBuilder(endpoint.url()).timeout(endpoint.timeout())
                    .header("Content-Type", "application/json")
                    .header("Parley-Delivery", id)
                    .header("Parley-Event", type)
                    .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
            endpoint.secret().ifPresent(secret -> post.header("Parley-Signature",
                    BackendHooks.signature(secret, clock.instant().getEpochSecond(), text)));
            HttpResponse<Void> response = client.send(post.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("webhook " + endpoint.name() + " answered " + response.statusCode());
            }
        };
    }

    /** The protocol's type of the event, except that a room's first event (its creator joining) is its creation. */
    private static String type(RoomEvent event, JsonNode encoded) {
        if (event instanceof RoomEvent.MemberJoined && event.seq() == 1) {
            return "room_created";
        }
        return encoded.path("type").asText();
    }
}
