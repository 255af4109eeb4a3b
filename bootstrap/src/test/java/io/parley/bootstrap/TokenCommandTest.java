package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.auth.JwtAuth;
import io.parley.adapters.auth.JwtSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley token} makes a token the configured server accepts, or says why it cannot. */
class TokenCommandTest {
    private static final String SECRET = "token-command-secret-0123456789-abcdefgh";

    private static Config parley(Map<String, String> overrides) {
        return ParleyConfig.load(overrides, Map.of()).get("parley");
    }

    @Test
    void with_the_servers_secret_it_signs_a_token_that_server_accepts_and_says_nothing_more() {
        TokenCommand.Issued issued = TokenCommand.issue(parley(Map.of("parley.auth.hs256-secret", SECRET)),
                "alice", "Alice", Clock.systemUTC());

        assertEquals("alice", JwtAuth.verifier(JwtSettings.builder().hmacSecret(SECRET).build())
                .verify(issued.token()).user().id().value());
        assertTrue(issued.warning().isEmpty());
    }

    @Test
    void for_a_server_that_checks_a_public_key_it_refuses_instead_of_signing_a_useless_token(@TempDir Path dir)
            throws Exception {
        Path pem = Files.writeString(dir.resolve("issuer.pem"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TokenCommand.issue(
                parley(Map.of("parley.auth.public-key-file", pem.toString())), "alice", "Alice", Clock.systemUTC()));

        assertTrue(refused.getMessage().contains("identity provider"), refused.getMessage());
    }

    @Test
    void without_any_key_it_signs_with_the_dev_secret_and_says_only_dev_mode_accepts_it(@TempDir Path dir) {
        Path devSecret = dir.resolve("dev-secret");

        TokenCommand.Issued issued = TokenCommand.issue(parley(Map.of("parley.dev-secret-file", devSecret.toString())),
                "bob", "Bob", Clock.systemUTC());

        assertTrue(issued.warning().orElseThrow().contains("bin/parley dev"), issued.warning().toString());
        assertEquals("bob", JwtAuth.verifier(JwtSettings.builder().hmacSecret(AuthSetup.devSecret(devSecret)).build())
                .verify(issued.token()).user().id().value());
    }

    @Test
    void a_dev_server_hands_tokens_to_pages_on_any_origin_and_a_production_server_has_no_such_endpoint() {
        try (TestServer dev = TestServer.start(Map.of("parley.dev", "true"))) {
            HttpResponse<String> answer = dev.send(HttpRequest.newBuilder(dev.http("/v1/dev/token?user=carol"))
                    .header("Origin", "https://example.org").GET());

            assertEquals(200, answer.statusCode());
            assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
            assertTrue(answer.body().contains("\"user\":\"carol\""), answer.body());
        }
        try (TestServer production = TestServer.start()) {
            assertEquals(404, production.send(HttpRequest.newBuilder(production.http("/v1/dev/token?user=carol"))
                    .GET()).statusCode());
        }
    }
}
