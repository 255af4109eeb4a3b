package io.parley.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.adapters.hooks.HttpHooksSettings.Hook;
import io.parley.application.port.out.ChatHooks;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decision hooks answered by the product's backend over HTTP ({@link HttpHooks}), as Centrifugo's proxy does: for the rooms
 * configured, each decision is one {@code POST} of a JSON object to the backend, which answers with the
 * decision. The protocol (request and answer fields, the signature) is in this module's README.
 *
 * <p>A backend that does not answer within the timeout, answers with an error status or with something that
 * is not a decision has failed: by default the request is refused with {@code unavailable} (clients retry
 * it), or allowed when the settings say {@code failOpen}. Join and subscribe decisions are reused for the same
 * user and room for a short while; send decisions never are. Calls block the request's thread (a virtual
 * thread on the server) for at most the timeout.
 */
final class BackendHooks implements ChatHooks {
    private static final System.Logger LOG = System.getLogger(HttpHooks.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Cached decisions at most; the cache is emptied when it is full. */
    private static final int MAX_CACHED = 10_000;

    private final HttpHooksSettings settings;
    private final Pattern rooms;
    private final HttpClient client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    BackendHooks(HttpHooksSettings settings) {
        this.settings = settings;
        this.rooms = settings.roomPattern();
        // HTTP/1.1, as the webhooks: no h2c upgrade request, which some backends' servers (uvicorn) leave unanswered
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @return whether the last call failed */
    boolean failing() {
        return failing.get();
    }

    @Override
    public SendDecision beforeSend(SendAttempt attempt) {
        if (!asks(Hook.SEND, attempt.room())) {
            return SendDecision.ALLOW;
        }
        ObjectNode request = request("before_send", attempt.author(), attempt.room());
        request.put("body", attempt.body());
        attempt.edits().ifPresent(id -> request.put("edits", id.value()));
        JsonNode answer = ask(request);
        if (answer == null) {
            return SendDecision.ALLOW;
        }
        return switch (decision(answer)) {
            case "allow" -> SendDecision.ALLOW;
            case "reject" -> SendDecision.reject(reason(answer));
            case "rewrite" -> {
                JsonNode body = answer.path("body");
                if (!body.isTextual()) {
                    fail("a rewrite without a string body");
                    yield SendDecision.ALLOW;
                }
                yield SendDecision.rewrite(body.asText());
            }
            default -> {
                fail("the decision \"" + decision(answer) + "\" is not one of a send");
                yield SendDecision.ALLOW;
            }
        };
    }

    @Override
    public AccessDecision beforeJoin(JoinAttempt attempt) {
        if (!asks(Hook.JOIN, attempt.room())) {
            return AccessDecision.ALLOW;
        }
        return cached("join\u0000" + attempt.actor().id().value() + '\u0000' + attempt.joiner().value() + '\u0000'
                + attempt.way() + '\u0000' + attempt.room().value(), () -> {
            ObjectNode request = request("before_join", attempt.actor(), attempt.room());
            request.put("joiner", attempt.joiner().value());
            request.put("way", attempt.way().name().toLowerCase(Locale.ROOT));
            return request;
        });
    }

    @Override
    public AccessDecision beforeSubscribe(User user, RoomId room) {
        if (!asks(Hook.SUBSCRIBE, room)) {
            return AccessDecision.ALLOW;
        }
        return cached("subscribe\u0000" + user.id().value() + '\u0000' + room.value(),
                () -> request("before_subscribe", user, room));
    }

    private boolean asks(Hook hook, RoomId room) {
        return settings.asked().contains(hook) && rooms.matcher(room.value()).matches();
    }

    private AccessDecision cached(String key, java.util.function.Supplier<ObjectNode> request) {
        Instant now = settings.clock().instant();
        Cached hit = cache.get(key);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.decision();
        }
        JsonNode answer = ask(request.get());
        if (answer == null) {
            return AccessDecision.ALLOW;
        }
        AccessDecision decision = switch (decision(answer)) {
            case "allow" -> AccessDecision.ALLOW;
            case "deny" -> AccessDecision.deny(reason(answer));
            default -> {
                fail("the decision \"" + decision(answer) + "\" is not one of a join or subscribe");
                yield null; // allowed, not cached: fail() threw unless failures allow
            }
        };
        if (decision == null) {
            return AccessDecision.ALLOW;
        }
        if (!settings.cacheFor().isZero()) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, new Cached(decision, now.plus(settings.cacheFor())));
        }
        return decision;
    }

    private static ObjectNode request(String hook, User user, RoomId room) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.putObject("user").put("id", user.id().value()).put("name", user.displayName());
        request.put("room", room.value());
        return request;
    }

    /** @return the backend's answer, or null when it failed and failures allow */
    private JsonNode ask(ObjectNode request) {
        String body = request.toString();
        HttpRequest.Builder post = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        settings.secret().ifPresent(secret -> post.header("Parley-Signature",
                signature(secret, settings.clock().instant().getEpochSecond(), body)));
        HttpResponse<String> response;
        try {
            response = client.send(post.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            fail("no answer (" + e.getClass().getSimpleName() + ")");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return null;
        }
        if (response.statusCode() == 204) {
            answered();
            return JSON.createObjectNode().put("decision", "allow");
        }
        if (response.statusCode() != 200) {
            fail("status " + response.statusCode());
            return null;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            fail("an answer that is not JSON");
            return null;
        }
        if (answer == null || !answer.path("decision").isTextual()) {
            fail("an answer without a decision");
            return null;
        }
        answered();
        return answer;
    }

    private static String decision(JsonNode answer) {
        return answer.path("decision").asText().toLowerCase(Locale.ROOT);
    }

    private static String reason(JsonNode answer) {
        String reason = answer.path("reason").asText("");
        return reason.isBlank() ? "refused by the chat's rules" : reason;
    }

    /**
     * The backend failed: refuses with {@code unavailable}, unless failures allow (then the caller allows).
     */
    private void fail(String why) {
        if (!failing.getAndSet(true)) {
            LOG.log(System.Logger.Level.WARNING, "decision hooks at {0} failed: {1}; until they answer, requests are {2}",
                    settings.shownUrl(), why, settings.failOpen() ? "allowed" : "refused as unavailable");
        }
        if (!settings.failOpen()) {
            throw new ParleyException(ErrorCode.UNAVAILABLE, "the chat's rules could not be checked: try again shortly");
        }
    }

    private void answered() {
        if (failing.getAndSet(false)) {
            LOG.log(System.Logger.Level.INFO, "decision hooks at {0} answer again", settings.shownUrl());
        }
    }

    /**
     * The signature header of a request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}.
     *
     * @param secret the shared secret
     * @param time   the time, in seconds since the epoch
     * @param body   the request's body
     * @return the header's value
     */
    static String signature(String secret, long time, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((time + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + time + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private record Cached(AccessDecision decision, Instant until) {
    }
}
