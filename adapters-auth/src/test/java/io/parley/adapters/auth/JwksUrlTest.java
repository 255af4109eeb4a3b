package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ParleyException;
import io.parley.testkit.MovingClock;
import io.parley.testservices.HttpsJwksServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;

import static io.parley.adapters.auth.TestTokens.claims;
import static io.parley.adapters.auth.TestTokens.sign;
import static org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys from a JWKS URL, against a real HTTPS server (a certificate made by the JDK's keytool) whose key set
 * rotates: the new key is fetched when a token names it, the old one is gone after that, unknown key ids
 * fetch at most once per interval, and plain http is refused at configuration.
 */
class JwksUrlTest {
    private static final KeyPair FIRST = TestTokens.rsaKeyPair();
    private static final KeyPair SECOND = TestTokens.rsaKeyPair();

    @TempDir
    Path dir;
    private HttpsJwksServer server;
    private final MovingClock clock = new MovingClock(TestTokens.NOW);

    @BeforeEach
    void start() throws Exception {
        server = HttpsJwksServer.start(dir);
        serve(jwk(FIRST, "key-1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_rotated_key_is_fetched_when_a_token_names_it_and_the_old_key_is_gone_then() {
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        assertEquals("alice", verifier.verify(sign(claims(), RSA_USING_SHA256, FIRST.getPrivate(), "key-1"))
                .user().id().value());
        assertEquals(1, server.fetches());

        serve(jwk(SECOND, "key-2")); // the issuer rotates: key-1 is withdrawn
        assertEquals("alice", verifier.verify(sign(claims(), RSA_USING_SHA256, SECOND.getPrivate(), "key-2"))
                .user().id().value(), "an unknown kid fetches the set again");
        assertEquals(2, server.fetches());

        // A new token signed with the withdrawn key is refused (one already accepted stays accepted for as
        // long as the verified-token cache remembers it: at most five minutes).
        org.jose4j.jwt.JwtClaims bob = claims();
        bob.setSubject("bob");
        ParleyException old = assertThrows(ParleyException.class,
                () -> verifier.verify(sign(bob, RSA_USING_SHA256, FIRST.getPrivate(), "key-1")));
        assertEquals("unauthorized", old.code().wireName());
    }

    @Test
    void made_up_key_ids_fetch_the_set_at_most_once_per_interval() {
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
            String token = sign(claims(), RSA_USING_SHA256, SECOND.getPrivate(), "made-up-" + i);
            assertThrows(ParleyException.class, () -> verifier.verify(token));
        }
        assertEquals(2, server.fetches(), "the first fetch, and one refresh for the first unknown kid");

        clock.set(TestTokens.NOW.plusSeconds(31));
        assertThrows(ParleyException.class, () -> verifier.verify(
                sign(claims(), RSA_USING_SHA256, SECOND.getPrivate(), "made-up-again")));
        assertEquals(3, server.fetches(), "after the interval, one more");
    }

    @Test
    void keys_are_only_fetched_over_https_from_a_trusted_server() {
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> JwtSettings.builder().jwksUrl(URI.create("http://127.0.0.1/jwks.json")));
        assertTrue(plain.getMessage().contains("https"), plain.getMessage());

        // Without the CA of this server's certificate, no key is fetched and the token is refused.
        TokenVerifier untrusting = JwtAuth.verifier(JwtSettings.builder().clock(clock).jwksUrl(url()).build());
        assertThrows(ParleyException.class,
                () -> untrusting.verify(sign(claims(), RSA_USING_SHA256, FIRST.getPrivate(), "key-1")));
        assertEquals(0, server.fetches(), "the TLS handshake failed before any request");
    }

    private TokenVerifier verifier(Duration minRefresh) {
        return JwtAuth.verifier(JwtSettings.builder()
                .clock(clock)
                .jwksUrl(url())
                .jwksCaFile(server.caFile())
                .jwksTiming(Duration.ofMinutes(10), minRefresh)
                .build());
    }

    private URI url() {
        return server.url();
    }

    private void serve(JsonWebKey key) {
        server.serve(new JsonWebKeySet(List.of(key)).toJson());
    }

    private static JsonWebKey jwk(KeyPair pair, String keyId) {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
        jwk.setKeyId(keyId);
        jwk.setUse("sig");
        return jwk;
    }
}
