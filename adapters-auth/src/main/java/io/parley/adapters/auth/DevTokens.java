package io.parley.adapters.auth;

import io.parley.domain.UserId;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues HS256 tokens for development and tests: the dev-token command line and test suites use it to
 * get tokens that a verifier with the same secret accepts. Production tokens come from an identity
 * provider, not from here.
 */
public final class DevTokens {
    private static final int RANDOM_SECRET_BYTES = 32;

    private final byte[] secret;
    private final Clock clock;
    private final Optional<String> issuer;
    private final Optional<String> audience;

    private DevTokens(byte[] secret, Clock clock, Optional<String> issuer, Optional<String> audience) {
        this.secret = secret;
        this.clock = clock;
        this.issuer = issuer;
        this.audience = audience;
    }

    /**
     * Tokens signed with a secret, without {@code iss} or {@code aud}.
     *
     * @param secret at least {@value JwtSettings#MIN_SECRET_BYTES} bytes of UTF-8
     * @param clock  the clock for {@code iat} and {@code exp}
     * @return the issuer
     * @throws IllegalArgumentException when the secret is too short (the message does not show it)
     */
    public static DevTokens create(String secret, Clock clock) {
        return new DevTokens(JwtSettings.checkSecret(secret), Objects.requireNonNull(clock, "clock"),
                Optional.empty(), Optional.empty());
    }

    /**
     * Tokens that a verifier built from these settings accepts: their secret, clock, issuer and audience.
     *
     * @param settings settings with an HMAC secret and {@code HS256} allowed
     * @return the issuer
     * @throws IllegalArgumentException when the settings do not accept HS256 tokens
     */
    public static DevTokens create(JwtSettings settings) {
        if (!settings.allowedAlgorithms().contains(JwsAlgorithm.HS256)) {
            throw new IllegalArgumentException("the settings do not accept HS256 tokens");
        }
        return new DevTokens(settings.hmacSecretBytes(), settings.clock(), settings.issuer(), settings.audience());
    }

    /**
     * A fresh random secret: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters).
     *
     * @return the secret
     */
    public static String randomSecret() {
        byte[] bytes = new byte[RANDOM_SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Issues a token whose display name is the user id.
     *
     * @param userId the {@code sub}
     * @param ttl    how long the token is valid, from now
     * @return the signed token
     */
    public String issue(String userId, Duration ttl) {
        return issue(userId, Optional.empty(), ttl);
    }

    /**
     * Issues a token.
     *
     * @param userId      the {@code sub}
     * @param displayName the {@code name}
     * @param ttl         how long the token is valid, from now
     * @return the signed token
     * @throws io.parley.domain.ParleyException {@link io.parley.domain.ErrorCode#INVALID} for an invalid user id
     * @throws IllegalArgumentException         when {@code ttl} is not positive
     */
    public String issue(String userId, String displayName, Duration ttl) {
        return issue(userId, Optional.of(Objects.requireNonNull(displayName, "displayName")), ttl);
    }

    private String issue(String userId, Optional<String> displayName, Duration ttl) {
        UserId subject = UserId.of(userId);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant now = clock.instant();
        JwtClaims claims = new JwtClaims();
        claims.setSubject(subject.value());
        displayName.ifPresent(name -> claims.setStringClaim("name", name));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        issuer.ifPresent(claims::setIssuer);
        audience.ifPresent(claims::setAudience);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKey(new HmacKey(secret));
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }
}
