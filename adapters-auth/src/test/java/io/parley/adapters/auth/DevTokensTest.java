package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier.VerifiedToken;
import io.parley.domain.ParleyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.parley.adapters.auth.TestTokens.CLOCK;
import static io.parley.adapters.auth.TestTokens.NOW;
import static io.parley.adapters.auth.TestTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevTokensTest {
    @Test
    void generates_random_url_safe_secrets_long_enough_for_hs256() {
        String first = DevTokens.randomSecret();
        String second = DevTokens.randomSecret();

        assertEquals(43, first.length());
        assertTrue(first.matches("[A-Za-z0-9_-]+"), first);
        assertNotEquals(first, second);
        assertTrue(JwtSettings.builder().hmacSecret(first).build().hasHmacSecret());
    }

    @Test
    void issues_tokens_that_settings_with_issuer_and_audience_accept() {
        JwtSettings settings = JwtSettings.builder().hmacSecret(SECRET).issuer("parley-dev").audience("parley")
                .clock(CLOCK).build();

        VerifiedToken verified = JwtAuth.verifier(settings)
                .verify(DevTokens.create(settings).issue("carol", "Carol", Duration.ofHours(8)));

        assertEquals("carol", verified.user().id().value());
        assertEquals("Carol", verified.user().displayName());
        assertEquals(NOW.plus(Duration.ofHours(8)), verified.expiresAt());
    }

    @Test
    void refuses_settings_that_do_not_accept_hs256() {
        JwtSettings rsaOnly = JwtSettings.builder()
                .publicKeyPem(TestTokens.pem(TestTokens.rsaKeyPair().getPublic())).build();

        assertThrows(IllegalArgumentException.class, () -> DevTokens.create(rsaOnly));
    }

    @Test
    void refuses_a_short_secret_without_showing_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DevTokens.create("short-dev-secret", CLOCK));

        assertFalse(e.getMessage().contains("short-dev-secret"));
    }

    @Test
    void refuses_an_invalid_user_id_and_a_non_positive_ttl() {
        DevTokens tokens = DevTokens.create(SECRET, CLOCK);

        assertThrows(ParleyException.class, () -> tokens.issue("", Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> tokens.issue("alice", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> tokens.issue("alice", "Alice", Duration.ofMinutes(-1)));
    }
}
