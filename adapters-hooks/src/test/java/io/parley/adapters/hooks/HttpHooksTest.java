package io.parley.adapters.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.parley.adapters.hooks.HttpHooksSettings.Hook;
import io.parley.application.port.out.ChatHooks;
import io.parley.application.port.out.ChatHooks.AccessDecision;
import io.parley.application.port.out.ChatHooks.JoinAttempt;
import io.parley.application.port.out.ChatHooks.SendAttempt;
import io.parley.application.port.out.ChatHooks.SendDecision;
import io.parley.domain.ErrorCode;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.testkit.MovingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpHooks} ({@link BackendHooks}) against a real HTTP receiver: the requests it makes, the answers it understands, its failures. */
class HttpHooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final User ANN = new User(UserId.of("ann"), "Ann");
    private static final RoomId DEAL = RoomId.of("deal-42");

    /** A receiver that records each request and answers with {@link #answer}. */
    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, Answer> answer = request -> new Answer(200, "{\"decision\":\"allow\"}", 0);
    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-06T10:00:00Z"));

    record Received(JsonNode body, String raw, String signature) {
    }

    record Answer(int status, String body, long delayMillis) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = JSON.readTree(raw);
            received.add(new Received(body, raw, exchange.getRequestHeaders().getFirst("Parley-Signature")));
            Answer a = answer.apply(body);
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : out.length);
            if (a.status() != 204) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private BackendHooks hooks(List<String> rooms, Set<Hook> asked, boolean failOpen) {
        return (BackendHooks) HttpHooks.create(new HttpHooksSettings(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"), Duration.ofMillis(500),
                Duration.ofSeconds(10), rooms, asked, failOpen, Optional.of("s3cret"), clock));
    }

    private BackendHooks hooks() {
        return hooks(List.of("deal-*"), EnumSet.allOf(Hook.class), false);
    }

    @Test
    void a_send_is_posted_signed_with_what_the_backend_needs_and_its_answer_is_the_decision() {
        BackendHooks hooks = hooks();
        answer = request -> request.path("body").asText().contains("spam")
                ? new Answer(200, "{\"decision\":\"reject\",\"reason\":\"no spam, please\"}", 0)
                : request.path("body").asText().contains("darn")
                ? new Answer(200, "{\"decision\":\"rewrite\",\"body\":\"d*rn\"}", 0)
                : new Answer(204, "", 0);

        assertEquals(SendDecision.ALLOW, hooks.beforeSend(new SendAttempt(ANN, DEAL, "hello", Optional.empty())));
        assertEquals(SendDecision.reject("no spam, please"),
                hooks.beforeSend(new SendAttempt(ANN, DEAL, "spam!", Optional.empty())));
        assertEquals(SendDecision.rewrite("d*rn"),
                hooks.beforeSend(new SendAttempt(ANN, DEAL, "darn", Optional.of(MessageId.of("m1")))));

        Received edit = received.getLast();
        assertEquals("before_send", edit.body().get("hook").asText());
        assertEquals("ann", edit.body().get("user").get("id").asText());
        assertEquals("Ann", edit.body().get("user").get("name").asText());
        assertEquals("deal-42", edit.body().get("room").asText());
        assertEquals("darn", edit.body().get("body").asText());
        assertEquals("m1", edit.body().get("edits").asText());
        assertTrue(received.getFirst().body().path("edits").isMissingNode(), "a new message edits nothing");
        assertEquals(HttpHooks.signature("s3cret", clock.instant().getEpochSecond(), edit.raw()), edit.signature());
        assertTrue(edit.signature().matches("t=\\d+,v1=[0-9a-f]{64}"), edit.signature());
    }

    @Test
    void join_and_subscribe_decisions_are_reused_for_a_while_and_asked_again_after() {
        BackendHooks hooks = hooks();
        answer = request -> request.path("hook").asText().equals("before_join")
                ? new Answer(200, "{\"decision\":\"deny\",\"reason\":\"not on this deal\"}", 0)
                : new Answer(200, "{\"decision\":\"allow\"}", 0);
        JoinAttempt join = new JoinAttempt(ANN, UserId.of("carl"), DEAL, JoinAttempt.Way.ADD);

        assertEquals(AccessDecision.deny("not on this deal"), hooks.beforeJoin(join));
        assertEquals(AccessDecision.deny("not on this deal"), hooks.beforeJoin(join));
        assertEquals(AccessDecision.ALLOW, hooks.beforeSubscribe(ANN, DEAL));
        assertEquals(AccessDecision.ALLOW, hooks.beforeSubscribe(ANN, DEAL));
        assertEquals(2, received.size(), "one call per decision within the cache time");
        JsonNode asked = received.getFirst().body();
        assertEquals("carl", asked.get("joiner").asText());
        assertEquals("add", asked.get("way").asText());
        assertEquals("before_subscribe", received.getLast().body().get("hook").asText());

        clock.advance(Duration.ofSeconds(11));
        hooks.beforeSubscribe(ANN, DEAL);
        assertEquals(3, received.size(), "asked again once the cached decision expired");
    }

    @Test
    void rooms_outside_the_patterns_and_decisions_not_handed_over_are_allowed_without_a_call() {
        BackendHooks hooks = hooks(List.of("deal-*", "ticket-?"), EnumSet.of(Hook.SEND), false);
        answer = request -> new Answer(200, "{\"decision\":\"reject\",\"reason\":\"no\"}", 0);
        assertEquals(SendDecision.ALLOW, hooks.beforeSend(new SendAttempt(ANN, RoomId.of("general"), "hi",
                Optional.empty())));
        assertEquals(SendDecision.ALLOW, hooks.beforeSend(new SendAttempt(ANN, RoomId.of("ticket-1"), "hi",
                Optional.empty())), "'?' stands for itself, only '*' is a wildcard");
        assertEquals(AccessDecision.ALLOW, hooks.beforeSubscribe(ANN, DEAL));
        assertEquals(0, received.size());
        assertEquals(SendDecision.reject("no"), hooks.beforeSend(new SendAttempt(ANN, DEAL, "hi", Optional.empty())));
    }

    @Test
    void a_backend_that_hangs_errs_or_answers_nonsense_refuses_as_unavailable_within_the_timeout_by_default() {
        BackendHooks hooks = hooks();
        SendAttempt send = new SendAttempt(ANN, DEAL, "hi", Optional.empty());
        for (Answer broken : List.of(new Answer(200, "{}", 3_000), new Answer(500, "oops", 0),
                new Answer(200, "not json", 0), new Answer(200, "{\"decision\":\"maybe\"}", 0))) {
            answer = request -> broken;
            long start = System.nanoTime();
            ParleyException refused = assertThrows(ParleyException.class, () -> hooks.beforeSend(send),
                    broken.toString());
            assertEquals(ErrorCode.UNAVAILABLE, refused.code(), broken.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0,
                    "gave up after the 500 ms timeout, not after the backend's 3 s");
            assertTrue(hooks.failing());
            assertEquals(ErrorCode.UNAVAILABLE, assertThrows(ParleyException.class,
                    () -> hooks.beforeJoin(new JoinAttempt(ANN, ANN.id(), DEAL, JoinAttempt.Way.JOIN))).code(),
                    "and a failed access decision is not cached");
        }
        answer = request -> new Answer(204, "", 0);
        assertEquals(SendDecision.ALLOW, hooks.beforeSend(send));
        assertTrue(!hooks.failing(), "healthy again once it answers");
    }

    @Test
    void with_fail_open_a_failing_backend_allows() {
        ChatHooks hooks = hooks(List.of("*"), EnumSet.allOf(Hook.class), true);
        answer = request -> new Answer(503, "", 0);
        assertEquals(SendDecision.ALLOW, hooks.beforeSend(new SendAttempt(ANN, DEAL, "hi", Optional.empty())));
        assertEquals(AccessDecision.ALLOW, hooks.beforeSubscribe(ANN, DEAL));
        answer = request -> new Answer(200, "{\"decision\":\"deny\"}", 0);
        assertEquals(AccessDecision.deny("refused by the chat's rules"), hooks.beforeSubscribe(ANN, DEAL),
                "the failure was not cached; a deny without a reason gets a general one");
    }

    @Test
    void settings_refuse_a_url_that_is_not_http_and_an_empty_room_list_and_logs_show_no_credentials_of_it() {
        assertEquals("https://backend.example:8443/parley/decide", HttpHooksSettings.of(
                URI.create("https://user:pass@backend.example:8443/parley/decide?token=t#x")).shownUrl());
        assertThrows(IllegalArgumentException.class, () -> HttpHooksSettings.of(URI.create("file:///etc/passwd")));
        assertThrows(IllegalArgumentException.class, () -> new HttpHooksSettings(URI.create("http://x/"),
                Duration.ofSeconds(1), Duration.ZERO, List.of(), Set.of(), false, Optional.empty(), clock));
    }
}
