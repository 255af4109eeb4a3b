package io.parley.adapters.auth;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/** Keys, a fixed clock and hand-made tokens for the tests, including ones the adapter must refuse. */
final class TestTokens {
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";
    static final String OTHER_SECRET = "other-secret-0123456789-abcdefghijklmno";

    private TestTokens() {
    }

    /** Claims for "alice", issued five minutes ago, valid for another hour. */
    static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        claims.setIssuedAt(seconds(NOW.minus(Duration.ofMinutes(5))));
        claims.setExpirationTime(seconds(NOW.plus(Duration.ofHours(1))));
        return claims;
    }

    static NumericDate seconds(Instant instant) {
        return NumericDate.fromSeconds(instant.getEpochSecond());
    }

    static String sign(JwtClaims claims, String alg, Key key) {
        return sign(claims, alg, key, null);
    }

    static String sign(JwtClaims claims, String alg, Key key, String keyId) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        // Let the test sign with whatever it likes, including weak HMAC keys from public key bytes.
        jws.setDoKeyValidation(false);
        if (keyId != null) {
            jws.setKeyIdHeaderValue(keyId);
        }
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT: header {@code {"alg":"none"}} and an empty signature. */
    static String unsigned(JwtClaims claims) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + encoder.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
