package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;
import io.parley.application.port.out.TokenVerifier.VerifiedToken;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.parley.adapters.auth.TestTokens.CLOCK;
import static io.parley.adapters.auth.TestTokens.NOW;
import static io.parley.adapters.auth.TestTokens.SECRET;
import static io.parley.adapters.auth.TestTokens.claims;
import static io.parley.adapters.auth.TestTokens.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HmacTokenVerificationTest {
    private final TokenVerifier verifier = JwtAuth.verifier(settings().build());

    private static JwtSettings.Builder settings() {
        return JwtSettings.builder().hmacSecret(SECRET).clock(CLOCK);
    }

    private static String hs256(JwtClaims claims) {
        return TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(TokenVerifier verifier, String token, String reason) {
        ParleyException e = assertThrows(ParleyException.class, () -> verifier.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertEquals(reason, e.getMessage());
    }

    @Test
    void accepts_a_valid_hs256_token_and_returns_its_user_name_and_expiry() {
        String token = DevTokens.create(SECRET, CLOCK).issue("alice", "Alice Liddell", Duration.ofMinutes(10));

        VerifiedToken verified = verifier.verify(token);

        assertEquals("alice", verified.user().id().value());
        assertEquals("Alice Liddell", verified.user().displayName());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), verified.expiresAt());
    }

    @Test
    void uses_the_subject_as_display_name_when_the_token_has_no_name() {
        VerifiedToken verified = verifier.verify(DevTokens.create(SECRET, CLOCK).issue("bob", Duration.ofMinutes(1)));

        assertEquals("bob", verified.user().displayName());
    }

    @Test
    void strips_control_characters_from_the_name_and_cuts_it_to_the_configured_length() {
        TokenVerifier shortNames = JwtAuth.verifier(settings().maxDisplayNameLength(5).build());
        JwtClaims claims = claims();
        claims.setStringClaim("name", "  Al\u0000i\nce Liddell ");

        assertEquals("Alice", shortNames.verify(hs256(claims)).user().displayName());
    }

    @Test
    void falls_back_to_the_subject_when_the_name_is_blank_or_not_a_string() {
        JwtClaims blank = claims();
        blank.setStringClaim("name", " \t ");
        JwtClaims number = claims();
        number.setClaim("name", 42);

        assertEquals("alice", verifier.verify(hs256(blank)).user().displayName());
        assertEquals("alice", verifier.verify(hs256(number)).user().displayName());
    }

    @Test
    void refuses_an_expired_token() {
        JwtClaims claims = claims();
        claims.setExpirationTime(seconds(NOW.minusSeconds(31)));

        assertRefused(verifier, hs256(claims), "token expired");
    }

    @Test
    void refuses_a_dev_token_once_its_time_to_live_has_passed() {
        Clock twoHoursAgo = Clock.fixed(NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String token = DevTokens.create(SECRET, twoHoursAgo).issue("alice", Duration.ofHours(1));

        assertRefused(verifier, token, "token expired");
    }

    @Test
    void accepts_a_token_that_expired_within_the_clock_skew() {
        JwtClaims claims = claims();
        claims.setExpirationTime(seconds(NOW.minusSeconds(10)));

        assertEquals(NOW.minusSeconds(10), verifier.verify(hs256(claims)).expiresAt());
    }

    @Test
    void refuses_a_token_that_expired_within_the_skew_when_the_skew_is_zero() {
        TokenVerifier strict = JwtAuth.verifier(settings().clockSkew(Duration.ZERO).build());
        JwtClaims claims = claims();
        claims.setExpirationTime(seconds(NOW.minusSeconds(10)));

        assertRefused(strict, hs256(claims), "token expired");
    }

    @Test
    void refuses_a_token_whose_not_before_is_in_the_future() {
        JwtClaims claims = claims();
        claims.setNotBefore(seconds(NOW.plus(Duration.ofMinutes(5))));

        assertRefused(verifier, hs256(claims), "token not yet valid");
    }

    @Test
    void accepts_a_token_whose_not_before_is_within_the_clock_skew() {
        JwtClaims claims = claims();
        claims.setNotBefore(seconds(NOW.plusSeconds(10)));

        assertEquals("alice", verifier.verify(hs256(claims)).user().id().value());
    }

    @Test
    void evaluates_time_claims_against_the_configured_clock() {
        TokenVerifier later = JwtAuth.verifier(settings()
                .clock(Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC)).build());

        assertRefused(later, hs256(claims()), "token expired");
    }

    @Test
    void refuses_a_token_signed_with_another_secret() {
        String token = DevTokens.create(TestTokens.OTHER_SECRET, CLOCK).issue("alice", Duration.ofMinutes(1));

        assertRefused(verifier, token, "invalid token signature");
    }

    @Test
    void refuses_an_unsigned_token_with_alg_none() {
        assertRefused(verifier, TestTokens.unsigned(claims()), "token algorithm not accepted");
    }

    @Test
    void refuses_an_hs512_token_when_only_hs256_is_allowed_even_though_the_secret_would_verify_it() {
        String longSecret = "k".repeat(64);
        TokenVerifier hs256Only = JwtAuth.verifier(JwtSettings.builder().hmacSecret(longSecret).clock(CLOCK).build());
        String token = TestTokens.sign(claims(), AlgorithmIdentifiers.HMAC_SHA512,
                new HmacKey(longSecret.getBytes(StandardCharsets.UTF_8)));

        assertRefused(hs256Only, token, "token algorithm not accepted");
    }

    @Test
    void refuses_a_token_without_subject() {
        JwtClaims claims = claims();
        claims.unsetClaim("sub");

        assertRefused(verifier, hs256(claims), "token has no subject");
    }

    @Test
    void refuses_a_token_whose_subject_is_not_a_valid_user_id() {
        JwtClaims claims = claims();
        claims.setSubject(" alice");

        assertRefused(verifier, hs256(claims), "token subject is not a valid user id");
    }

    @Test
    void refuses_a_token_without_expiry_by_default() {
        JwtClaims claims = claims();
        claims.unsetClaim("exp");

        assertRefused(verifier, hs256(claims), "token has no expiry");
    }

    @Test
    void accepts_a_token_without_expiry_when_expiry_is_optional_and_reports_it_as_never_expiring() {
        TokenVerifier lenient = JwtAuth.verifier(settings().requireExpiry(false).build());
        JwtClaims claims = claims();
        claims.unsetClaim("exp");

        assertEquals(Instant.MAX, lenient.verify(hs256(claims)).expiresAt());
    }

    @Test
    void refuses_a_token_from_another_issuer_or_without_issuer() {
        TokenVerifier withIssuer = JwtAuth.verifier(settings().issuer("https://id.example").build());
        JwtClaims other = claims();
        other.setIssuer("https://evil.example");

        assertRefused(withIssuer, hs256(other), "token issuer not accepted");
        assertRefused(withIssuer, hs256(claims()), "token issuer not accepted");
    }

    @Test
    void refuses_a_token_for_another_audience_or_without_audience() {
        TokenVerifier withAudience = JwtAuth.verifier(settings().audience("parley").build());
        JwtClaims other = claims();
        other.setAudience("billing", "reports");

        assertRefused(withAudience, hs256(other), "token audience not accepted");
        assertRefused(withAudience, hs256(claims()), "token audience not accepted");
    }

    @Test
    void accepts_a_token_with_the_configured_issuer_and_one_of_its_audiences() {
        JwtSettings settings = settings().issuer("https://id.example").audience("parley").build();
        JwtClaims claims = claims();
        claims.setIssuer("https://id.example");
        claims.setAudience("billing", "parley");

        assertEquals("alice", JwtAuth.verifier(settings).verify(hs256(claims)).user().id().value());
    }

    @Test
    void accepts_any_audience_when_none_is_configured() {
        JwtClaims claims = claims();
        claims.setAudience("somebody-else");

        assertEquals("alice", verifier.verify(hs256(claims)).user().id().value());
    }

    @Test
    void refuses_missing_malformed_and_oversized_tokens() {
        assertRefused(verifier, null, "missing token");
        assertRefused(verifier, "  ", "missing token");
        assertRefused(verifier, "not.a.jwt", "token not accepted");
        assertRefused(verifier, "x".repeat(JoseTokenVerifier.MAX_TOKEN_LENGTH + 1), "token not accepted");
    }
}
