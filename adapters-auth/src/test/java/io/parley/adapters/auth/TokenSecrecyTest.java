package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ParleyException;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static io.parley.adapters.auth.TestTokens.CLOCK;
import static io.parley.adapters.auth.TestTokens.NOW;
import static io.parley.adapters.auth.TestTokens.SECRET;
import static io.parley.adapters.auth.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenSecrecyTest {
    private final TokenVerifier verifier = JwtAuth.verifier(
            JwtSettings.builder().hmacSecret(SECRET).issuer("https://id.example").clock(CLOCK).build());

    static Stream<String> refusedTokens() {
        HmacKey key = new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8));
        JwtClaims expired = claims();
        expired.setIssuer("https://id.example");
        expired.setExpirationTime(TestTokens.seconds(NOW.minus(Duration.ofHours(1))));
        JwtClaims noSubject = claims();
        noSubject.setIssuer("https://id.example");
        noSubject.unsetClaim("sub");
        return Stream.of(
                TestTokens.sign(expired, AlgorithmIdentifiers.HMAC_SHA256, key),
                TestTokens.sign(noSubject, AlgorithmIdentifiers.HMAC_SHA256, key),
                TestTokens.sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, key),
                DevTokens.create(TestTokens.OTHER_SECRET, CLOCK).issue("alice", Duration.ofMinutes(5)),
                TestTokens.unsigned(claims()),
                "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24tc2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXNlY3JldA",
                "garbage-token-text-that-must-not-echo");
    }

    @ParameterizedTest
    @MethodSource("refusedTokens")
    void never_puts_the_token_or_its_parts_into_the_refusal(String token) {
        ParleyException e = assertThrows(ParleyException.class, () -> verifier.verify(token));

        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        for (String part : token.split("\\.")) {
            if (part.length() > 24) {
                assertFalse(trace.toString().contains(part), "refusal shows a token part: " + e.getMessage());
            }
        }
        assertFalse(trace.toString().contains(token));
        assertNull(e.getCause());
        assertEquals(0, e.getSuppressed().length);
    }
}
