package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetSequenceJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import static io.parley.adapters.auth.TestTokens.CLOCK;
import static io.parley.adapters.auth.TestTokens.SECRET;
import static io.parley.adapters.auth.TestTokens.claims;
import static io.parley.adapters.auth.TestTokens.sign;
import static org.jose4j.jws.AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
import static org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublicKeyTokenVerificationTest {
    private static final KeyPair RSA = TestTokens.rsaKeyPair();
    private static final KeyPair OTHER_RSA = TestTokens.rsaKeyPair();
    private static final KeyPair EC_1 = TestTokens.ecKeyPair();
    private static final KeyPair EC_2 = TestTokens.ecKeyPair();

    @TempDir
    Path dir;

    private static JwtSettings.Builder pemSettings() {
        return JwtSettings.builder().publicKeyPem(TestTokens.pem(RSA.getPublic())).clock(CLOCK);
    }

    private static void assertRefused(TokenVerifier verifier, String token, String reason) {
        ParleyException e = assertThrows(ParleyException.class, () -> verifier.verify(token));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertEquals(reason, e.getMessage());
    }

    private Path jwksFile(JsonWebKey... keys) throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JsonWebKeySet(keys).toJson());
        return file;
    }

    private static PublicJsonWebKey publicJwk(KeyPair pair, String keyId) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setKeyId(keyId);
        return jwk;
    }

    @Test
    void accepts_an_rs256_token_checked_with_a_pem_public_key() {
        TokenVerifier verifier = JwtAuth.verifier(pemSettings().build());

        assertEquals("alice", verifier.verify(sign(claims(), RSA_USING_SHA256, RSA.getPrivate())).user().id().value());
    }

    @Test
    void refuses_an_rs256_token_signed_by_another_key() {
        TokenVerifier verifier = JwtAuth.verifier(pemSettings().build());

        assertRefused(verifier, sign(claims(), RSA_USING_SHA256, OTHER_RSA.getPrivate()), "invalid token signature");
    }

    @Test
    void refuses_an_hs256_token_when_only_rs256_is_allowed() {
        TokenVerifier verifier = JwtAuth.verifier(pemSettings().algorithms("RS256").build());
        String token = sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));

        assertRefused(verifier, token, "token algorithm not accepted");
    }

    @Test
    void refuses_an_hs256_token_signed_with_the_public_key_bytes_as_hmac_secret() {
        TokenVerifier verifier = JwtAuth.verifier(pemSettings().build());
        String withDer = sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(RSA.getPublic().getEncoded()));
        String withPem = sign(claims(), AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(TestTokens.pem(RSA.getPublic()).getBytes(StandardCharsets.US_ASCII)));

        assertRefused(verifier, withDer, "token algorithm not accepted");
        assertRefused(verifier, withPem, "token algorithm not accepted");
    }

    @Test
    void refuses_algorithm_confusion_even_when_hs256_and_rs256_are_both_allowed() {
        // HS256 is allowed here, so only key selection stands between the attacker and acceptance.
        TokenVerifier verifier = JwtAuth.verifier(pemSettings().hmacSecret(SECRET).build());
        String withDer = sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(RSA.getPublic().getEncoded()));
        String withPem = sign(claims(), AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(TestTokens.pem(RSA.getPublic()).getBytes(StandardCharsets.US_ASCII)));

        assertRefused(verifier, withDer, "invalid token signature");
        assertRefused(verifier, withPem, "invalid token signature");
        assertEquals("alice", verifier.verify(sign(claims(), RSA_USING_SHA256, RSA.getPrivate())).user().id().value());
        assertEquals("alice", verifier.verify(DevTokens.create(SECRET, CLOCK).issue("alice", Duration.ofMinutes(1)))
                .user().id().value());
    }

    @Test
    void accepts_an_es256_token_checked_with_an_ec_pem_public_key() {
        TokenVerifier verifier = JwtAuth.verifier(
                JwtSettings.builder().publicKeyPem(TestTokens.pem(EC_1.getPublic())).clock(CLOCK).build());

        assertEquals("alice", verifier.verify(sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_1.getPrivate()))
                .user().id().value());
    }

    @Test
    void accepts_an_es256_token_whose_kid_names_a_key_in_the_jwks_file() throws Exception {
        Path file = jwksFile(publicJwk(EC_1, "k1"), publicJwk(EC_2, "k2"), publicJwk(RSA, "r1"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        String token = sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_2.getPrivate(), "k2");

        assertEquals("alice", verifier.verify(token).user().id().value());
        assertEquals("alice", verifier.verify(sign(claims(), RSA_USING_SHA256, RSA.getPrivate(), "r1")).user().id().value());
    }

    @Test
    void refuses_an_es256_token_whose_kid_is_not_in_the_jwks_file() throws Exception {
        Path file = jwksFile(publicJwk(EC_1, "k1"), publicJwk(EC_2, "k2"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        assertRefused(verifier, sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_2.getPrivate(), "k3"),
                "token signing key not known");
    }

    @Test
    void refuses_a_token_signed_by_one_jwks_key_that_names_another() throws Exception {
        Path file = jwksFile(publicJwk(EC_1, "k1"), publicJwk(EC_2, "k2"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        assertRefused(verifier, sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_1.getPrivate(), "k2"),
                "invalid token signature");
    }

    @Test
    void refuses_a_token_without_kid_when_the_jwks_file_holds_several_candidate_keys() throws Exception {
        Path file = jwksFile(publicJwk(EC_1, "k1"), publicJwk(EC_2, "k2"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        assertRefused(verifier, sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_1.getPrivate()),
                "token signing key not known");
    }

    @Test
    void accepts_a_token_without_kid_when_the_jwks_file_holds_one_key_for_its_algorithm() throws Exception {
        Path file = jwksFile(publicJwk(EC_1, "k1"), publicJwk(RSA, "r1"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        assertEquals("alice", verifier.verify(sign(claims(), ECDSA_USING_P256_CURVE_AND_SHA256, EC_1.getPrivate()))
                .user().id().value());
    }

    @Test
    void never_verifies_with_a_symmetric_key_from_the_jwks_file() throws Exception {
        byte[] shared = SECRET.getBytes(StandardCharsets.UTF_8);
        OctetSequenceJsonWebKey octet = new OctetSequenceJsonWebKey(new HmacKey(shared));
        octet.setKeyId("shared");
        Path file = jwksFile(octet, publicJwk(EC_1, "k1"));
        TokenVerifier verifier = JwtAuth.verifier(JwtSettings.builder().jwksFile(file).clock(CLOCK).build());

        assertRefused(verifier, sign(claims(), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(shared), "shared"),
                "token algorithm not accepted");
    }

    @Test
    void fails_to_start_when_the_jwks_file_is_missing_or_holds_no_usable_key() throws Exception {
        JwtSettings missing = JwtSettings.builder().jwksFile(dir.resolve("absent.json")).build();
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{ not json");
        Path onlySymmetric = jwksFile(new OctetSequenceJsonWebKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8))));

        assertThrows(UncheckedIOException.class, () -> JwtAuth.verifier(missing));
        for (Path file : List.of(notJson, onlySymmetric)) {
            assertThrows(IllegalArgumentException.class,
                    () -> JwtAuth.verifier(JwtSettings.builder().jwksFile(file).build()));
        }
    }
}
