package io.parley.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.application.port.out.EventListener;
import io.parley.domain.RoomEvent;
import io.parley.domain.UserId;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** The type of the delivery that tells a member who is offline that a message is waiting for them. */
    public static final String UNREAD_OFFLINE = "message_unread_offline";

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

        /**
         * @param type an event type
         * @return whether this endpoint wants it
         */
        public boolean wants(String type) {
            return events.isEmpty() || events.contains(type);
        }

        /** @return the name of its feed (its progress is kept under it) */
        public String feed() {
            return "webhook:" + name;
        }
    }

    private Webhooks() {
    }

    /**
     * @param endpoint where to post, which events, and the secret that signs the posts
     * @param encoder  a durable event as clients receive it (the protocol's JSON object)
     * @param clock    the time in signatures
     * @return the listener that delivers to it, without "unread while offline" deliveries
     */
    public static EventListener listener(Endpoint endpoint, Function<RoomEvent, String> encoder, Clock clock) {
        return listener(endpoint, encoder, clock, posted -> List.of(), Duration.ZERO);
    }

    /**
     * @param endpoint where to post, which events, and the secret that signs the posts
     * @param encoder  a durable event as clients receive it (the protocol's JSON object)
     * @param clock    the time in signatures and of the debounce
     * @param offline  the members of a posted message's room, other than its author, who have no session on any
     *                 node now
     * @param debounce after an "unread while offline" delivery for a user and a room, how long the next one for
     *                 that user and room waits (messages meanwhile send none); zero: none is sent at all
     * @return the listener that delivers to it; register it under {@link Endpoint#feed()}
     */
    public static EventListener listener(Endpoint endpoint, Function<RoomEvent, String> encoder, Clock clock,
                                         Function<RoomEvent.MessagePosted, List<UserId>> offline, Duration debounce) {
        // HTTP/1.1: the JDK's default HTTP/2 asks a plain-http receiver to upgrade (Upgrade: h2c), which uvicorn,
        // FastAPI's usual server, refuses by not answering the request at all.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        boolean unread = !debounce.isZero() && endpoint.wants(UNREAD_OFFLINE);
        Map<String, Instant> lastNotified = new ConcurrentHashMap<>();
        // Deliveries of the event being retried that went through already: a retry does not repeat them.
        Set<String> done = ConcurrentHashMap.newKeySet();
        return event -> {
            JsonNode encoded = JSON.readTree(encoder.apply(event));
            String type = type(event, encoded);
            String id = endpoint.name() + ":" + event.room().value() + ":" + event.seq();
            List<String> parts = new ArrayList<>();
            if (endpoint.wants(type) && !done.contains(id)) {
                post(client, endpoint, clock, id, type, envelope(id, type, event, encoded));
                done.add(id);
            }
            parts.add(id);
            if (unread && event instanceof RoomEvent.MessagePosted posted && !posted.message().deleted()) {
                Instant now = clock.instant();
                for (UserId user : offline.apply(posted)) {
                    String key = user.value() + "\u0000" + event.room().value();
                    Instant last = lastNotified.get(key);
                    String part = id + ":" + user.value();
                    if ((last != null && now.isBefore(last.plus(debounce))) || done.contains(part)) {
                        continue;
                    }
                    ObjectNode body = envelope(part, UNREAD_OFFLINE, event, encoded);
                    body.put("user", user.value());
                    body.put("mentioned", posted.message().mentions().contains(user));
                    post(client, endpoint, clock, part, UNREAD_OFFLINE, body);
                    done.add(part);
                    parts.add(part);
                    lastNotified.put(key, now);
                }
                if (lastNotified.size() > 10_000) {
                    lastNotified.values().removeIf(at -> now.isAfter(at.plus(debounce)));
                }
            }
            parts.forEach(done::remove);
        };
    }

    private static ObjectNode envelope(String id, String type, RoomEvent event, JsonNode encoded) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        body.put("type", type);
        body.put("room", event.room().value());
        body.put("seq", event.seq());
        body.set("event", encoded);
        return body;
    }

    private static void post(HttpClient client, Endpoint endpoint, Clock clock, String id, String type,
                             ObjectNode body) throws IOException, InterruptedException {
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
    }

    /** The protocol's type of the event, except that a room's first event (its creator joining) is its creation. */
    private static String type(RoomEvent event, JsonNode encoded) {
        if (event instanceof RoomEvent.MemberJoined && event.seq() == 1) {
            return "room_created";
        }
        return encoded.path("type").asText();
    }
}
