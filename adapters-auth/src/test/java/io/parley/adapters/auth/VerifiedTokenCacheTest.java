package io.parley.adapters.auth;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.testkit.MovingClock;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static io.parley.adapters.auth.TestTokens.NOW;
import static io.parley.adapters.auth.TestTokens.OTHER_SECRET;
import static io.parley.adapters.auth.TestTokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accepted tokens are remembered, but a remembered token is accepted exactly as long as verifying it again
 * would accept it, and never longer than five minutes.
 */
class VerifiedTokenCacheTest {
    private static final Duration SKEW = Duration.ofSeconds(30);
    private final MovingClock clock = new MovingClock(NOW);

    private JoseTokenVerifier verifier(JwtSettings.Builder settings) {
        return (JoseTokenVerifier) JwtAuth.verifier(settings.build());
    }

    private JwtSettings.Builder settings() {
        return JwtSettings.builder().hmacSecret(SECRET).clock(clock).clockSkew(SKEW);
    }

    private String token(String user, Duration ttl) {
        return DevTokens.create(SECRET, clock).issue(user, ttl);
    }

    @Test
    void a_token_presented_again_is_answered_from_the_cache_until_exp_plus_skew_then_refused() {
        JoseTokenVerifier verifier = verifier(settings());
        String token = token("alice", Duration.ofMinutes(2));
        Instant expiry = NOW.plus(Duration.ofMinutes(2));

        var first = verifier.verify(token);
        assertSame(first, verifier.accepted().get(VerifiedTokenCache.digest(token)), "remembered");
        assertSame(first, verifier.verify(token), "answered from the cache");

        clock.set(expiry.plus(SKEW).minusMillis(1));
        assertSame(first, verifier.verify(token), "still valid, as jose4j would say");

        clock.set(expiry.plus(SKEW));
        ParleyException refused = assertThrows(ParleyException.class, () -> verifier.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        assertEquals("token expired", refused.getMessage());
        assertEquals(0, verifier.accepted().size(), "the expired entry is gone");
    }

    @Test
    void a_refused_token_is_not_remembered_and_is_refused_every_time() {
        JoseTokenVerifier verifier = verifier(settings());
        String forged = DevTokens.create(OTHER_SECRET, clock).issue("mallory", Duration.ofMinutes(5));

        for (int i = 0; i < 2; i++) {
            ParleyException refused = assertThrows(ParleyException.class, () -> verifier.verify(forged));
            assertEquals("invalid token signature", refused.getMessage());
        }
        assertEquals(0, verifier.accepted().size());
    }

    @Test
    void a_token_without_expiry_is_verified_again_after_five_minutes() {
        JoseTokenVerifier verifier = verifier(settings().requireExpiry(false));
        JwtClaims claims = new JwtClaims();
        claims.setSubject("bot");
        String token = TestTokens.sign(claims, AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));

        verifier.verify(token);
        assertNotNull(verifier.accepted().get(VerifiedTokenCache.digest(token)));

        clock.set(NOW.plus(VerifiedTokenCache.MAX_AGE));
        assertNull(verifier.accepted().get(VerifiedTokenCache.digest(token)), "too old to answer from memory");
        assertEquals("bot", verifier.verify(token).user().id().value(), "verified again, and accepted");
    }

    @Test
    void the_cache_holds_at_most_its_capacity_keeps_the_tokens_in_use_and_still_verifies_every_token() {
        JoseTokenVerifier verifier = verifier(settings().verifiedTokenCache(4));
        String regular = token("ann", Duration.ofMinutes(1));
        verifier.verify(regular);

        for (int i = 0; i < 20; i++) {
            String once = token("user" + i, Duration.ofMinutes(1));
            assertEquals("user" + i, verifier.verify(once).user().id().value());
            verifier.verify(regular);
            assertTrue(verifier.accepted().size() <= 4, "bounded: " + verifier.accepted().size());
        }
        assertNotNull(verifier.accepted().get(VerifiedTokenCache.digest(regular)), "the token in use stays");
        assertNull(verifier.accepted().get(VerifiedTokenCache.digest(token("user0", Duration.ofMinutes(1)))),
                "a token seen once aged out");
    }

    @Test
    void zero_turns_the_cache_off() {
        JoseTokenVerifier verifier = verifier(settings().verifiedTokenCache(0));

        verifier.verify(token("alice", Duration.ofMinutes(1)));

        assertEquals(0, verifier.accepted().size());
        assertThrows(IllegalArgumentException.class, () -> JwtSettings.builder().verifiedTokenCache(-1));
    }
}
