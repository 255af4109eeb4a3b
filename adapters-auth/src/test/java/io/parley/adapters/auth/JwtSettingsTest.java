package io.parley.adapters.auth;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static io.parley.adapters.auth.TestTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtSettingsTest {
    private static final String RSA_PEM = TestTokens.pem(TestTokens.rsaKeyPair().getPublic());
    private static final String EC_PEM = TestTokens.pem(TestTokens.ecKeyPair().getPublic());

    @Test
    void refuses_a_secret_shorter_than_32_bytes_without_showing_it() {
        String shortSecret = "s3cr3t-but-only-31-bytes-long!!";
        assertEquals(31, shortSecret.length());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().hmacSecret(shortSecret));

        assertTrue(e.getMessage().contains("at least 32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains(shortSecret));
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void counts_the_secret_length_in_utf8_bytes() {
        // "é" is two bytes: 16 of them make 32 bytes, 15 make 30.
        assertTrue(JwtSettings.builder().hmacSecret("é".repeat(16)).build().hasHmacSecret());
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().hmacSecret("é".repeat(15)));
    }

    @Test
    void never_shows_the_secret_in_to_string() {
        JwtSettings settings = JwtSettings.builder().hmacSecret(SECRET).build();

        assertFalse(settings.toString().contains(SECRET), settings.toString());
    }

    @Test
    void allows_only_hs256_by_default_when_only_a_secret_is_configured() {
        JwtSettings settings = JwtSettings.builder().hmacSecret(SECRET).build();

        assertEquals(Set.of("HS256"), settings.algorithms());
        assertEquals(Duration.ofSeconds(30), settings.clockSkew());
        assertTrue(settings.requireExpiry());
        assertEquals(100, settings.maxDisplayNameLength());
    }

    @Test
    void allows_the_algorithm_of_the_pem_key_type_by_default() {
        assertEquals(Set.of("RS256"), JwtSettings.builder().publicKeyPem(RSA_PEM).build().algorithms());
        assertEquals(Set.of("ES256"), JwtSettings.builder().publicKeyPem(EC_PEM).build().algorithms());
        assertEquals(Set.of("HS256", "RS256"),
                JwtSettings.builder().publicKeyPem(RSA_PEM).hmacSecret(SECRET).build().algorithms());
    }

    @Test
    void allows_rs256_and_es256_by_default_for_a_jwks_file() {
        assertEquals(Set.of("RS256", "ES256"), JwtSettings.builder().jwksFile(Path.of("jwks.json")).build().algorithms());
    }

    @Test
    void never_allows_alg_none_or_unknown_algorithms() {
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().algorithms("HS256", "none"));
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().algorithms("NONE"));
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().algorithms("HS1"));
    }

    @Test
    void accepts_algorithm_names_in_any_case() {
        assertEquals(Set.of("HS256"), JwtSettings.builder().hmacSecret(SECRET).algorithms(" hs256 ").build().algorithms());
    }

    @Test
    void refuses_settings_without_any_key() {
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().build());
    }

    @Test
    void refuses_a_pem_key_together_with_a_jwks_file() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().publicKeyPem(RSA_PEM).jwksFile(Path.of("jwks.json")).build());
    }

    @Test
    void refuses_an_allowed_algorithm_that_no_configured_key_can_check() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().publicKeyPem(RSA_PEM).algorithms("RS256", "HS256").build());
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().hmacSecret(SECRET).algorithms("HS256", "RS256").build());
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().publicKeyPem(RSA_PEM).algorithms("ES256").build());
    }

    @Test
    void refuses_a_configured_key_that_no_allowed_algorithm_uses() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().hmacSecret(SECRET).publicKeyPem(RSA_PEM).algorithms("RS256").build());
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().hmacSecret(SECRET).publicKeyPem(RSA_PEM).algorithms("HS256").build());
    }

    @Test
    void refuses_hs512_with_a_secret_shorter_than_its_hash() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().hmacSecret("x".repeat(32)).algorithms("HS512").build());
        assertEquals(Set.of("HS512"),
                JwtSettings.builder().hmacSecret("x".repeat(64)).algorithms("HS512").build().algorithms());
    }

    @Test
    void refuses_pem_text_without_a_public_key_block() {
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().publicKeyPem("hello").build());
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder()
                .publicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").build());
    }

    @Test
    void refuses_a_negative_clock_skew_blank_issuer_and_non_positive_name_length() {
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().clockSkew(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().issuer(" "));
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().audience(""));
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().maxDisplayNameLength(0));
    }
}
