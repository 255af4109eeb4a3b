package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's decisions over HTTP ({@code parley.hooks.http}) end to end: a real receiver started here,
 * written as a backend would (it checks the signature with the shared secret), refuses a word and keeps a user
 * out; the server's clients get its reasons, and while it is down, {@code unavailable}.
 */
class HttpHooksServerTest {
    private static final String SECRET = "a-secret-the-backend-shares";
    private HttpServer backend;
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/parley/decide", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!validSignature(exchange.getRequestHeaders().getFirst("Parley-Signature"), body)) {
                badSignatures.add(body);
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            JsonNode request = Json.parse(body);
            asked.add(request.get("hook").asText());
            String answer = switch (request.get("hook").asText()) {
                case "before_send" -> request.get("body").asText().contains("confidential")
                        ? "{\"decision\":\"reject\",\"reason\":\"deal figures stay in the CRM\"}"
                        : "{\"decision\":\"allow\"}";
                case "before_join" -> request.get("joiner").asText().equals("carl")
                        ? "{\"decision\":\"deny\",\"reason\":\"carl is not on this deal\"}"
                        : "{\"decision\":\"allow\"}";
                default -> "{\"decision\":\"allow\"}";
            };
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    /** What a backend does with {@code Parley-Signature: t=…,v1=…} (docs and adapters-hooks/README.md). */
    private static boolean validSignature(String header, String body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String time = header.substring(2, header.indexOf(','));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((time + "." + body).getBytes(StandardCharsets.UTF_8)));
            return header.endsWith(",v1=" + expected)
                    && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(time)) < 300;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void the_backend_refuses_a_message_and_a_member_and_its_reasons_reach_the_clients() {
        String url = "http://127.0.0.1:" + backend.getAddress().getPort() + "/parley/decide";
        try (TestServer server = TestServer.start(Map.of("parley.hooks.http.url", url,
                "parley.hooks.http.secret", SECRET))) {
            String room = server.createRoom("alice", "Deal 42", "open", "bob");
            try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
                bob.ack("subscribe", "room", room);
                JsonNode refused = alice.command("send", "room", room, "body", "the confidential price is 42");
                assertEquals("rejected", refused.get("code").asText());
                assertEquals("deal figures stay in the CRM", refused.get("message").asText());
                alice.ack("send", "room", room, "body", "see the CRM");
                assertEquals("see the CRM", bob.expect("message").get("message").get("body").asText(),
                        "only the allowed message reached bob");

                HttpResponse<String> added = server.rest("PUT", "/v1/rooms/" + room + "/members/carl", "alice", null);
                assertEquals(403, added.statusCode());
                assertTrue(added.body().contains("carl is not on this deal"), added.body());
                assertEquals(403, server.rest("PUT", "/v1/rooms/" + room + "/members/carl", "carl", null)
                        .statusCode(), "nor may carl join by himself");
                assertTrue(asked.containsAll(List.of("before_send", "before_join", "before_subscribe")), asked.toString());
                assertEquals(List.of(), badSignatures, "every request was signed with the shared secret");

                backend.stop(0);
                JsonNode down = alice.command("send", "room", room, "body", "anyone there?");
                assertEquals("unavailable", down.get("code").asText(), "refused, and retryable, while the backend is down");
            }
        }
    }
}
