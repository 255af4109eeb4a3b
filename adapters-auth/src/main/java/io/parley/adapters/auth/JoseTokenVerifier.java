package io.parley.adapters.auth;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ChatLimits;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.domain.UserId;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.UnresolvableKeyException;

import java.time.Clock;
import java.time.Instant;

/**
 * Verifies JWTs with jose4j, remembering accepted tokens for as long as they stay valid
 * ({@link VerifiedTokenCache}). Refusals carry a short, fixed reason; neither the token nor jose4j's own
 * messages (which can quote token parts) are ever passed on, not even as a cause.
 */
final class JoseTokenVerifier implements TokenVerifier {
    // Far above any real token (IdP tokens with many groups stay under a few KiB); bounds parsing work.
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final JwtSettings settings;
    private final VerificationKeys keys;
    private final ChatLimits displayNameLimits;
    private final String[] algorithms;
    private final VerifiedTokenCache accepted;

    JoseTokenVerifier(JwtSettings settings, VerificationKeys keys) {
        this.settings = settings;
        this.keys = keys;
        ChatLimits defaults = ChatLimits.DEFAULTS;
        this.displayNameLimits = new ChatLimits(defaults.maxBodyLength(), defaults.maxRoomNameLength(),
                settings.maxDisplayNameLength(), defaults.maxAttachmentUrlLength(), defaults.maxClientIdLength());
        this.algorithms = settings.algorithms().toArray(String[]::new);
        this.accepted = new VerifiedTokenCache(settings.verifiedTokenCache(), settings.clock(), settings.clockSkew());
    }

    @Override
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw rejected("missing token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw rejected("token not accepted");
        }
        if (!accepted.enabled()) {
            return verifyNow(token);
        }
        VerifiedTokenCache.Digest digest = VerifiedTokenCache.digest(token);
        VerifiedToken known = accepted.get(digest);
        if (known != null) {
            return known;
        }
        VerifiedToken verified = verifyNow(token);
        accepted.put(digest, verified);
        return verified;
    }

    private VerifiedToken verifyNow(String token) {
        JwtClaims claims;
        try {
            claims = consumerBuilder(settings.clock()).build().processToClaims(token);
        } catch (InvalidJwtException e) {
            throw rejected(reason(e));
        }
        return verified(claims);
    }

    /** @return the cache of accepted tokens (for tests) */
    VerifiedTokenCache accepted() {
        return accepted;
    }

    // Built per call because jose4j fixes the evaluation time in the consumer; building is cheap.
    private JwtConsumerBuilder consumerBuilder(Clock clock) {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, algorithms))
                // No decryption key is ever configured; refuse encrypted tokens before any work.
                .setJweAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT))
                .setJweContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT))
                .setVerificationKeyResolver(keys)
                .setRequireSubject()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds());
        if (settings.requireExpiry()) {
            builder.setRequireExpirationTime();
        }
        settings.issuer().ifPresent(builder::setExpectedIssuer);
        settings.audience().ifPresentOrElse(builder::setExpectedAudience, builder::setSkipDefaultAudienceValidation);
        return builder;
    }

    private VerifiedToken verified(JwtClaims claims) {
        try {
            String subject = claims.getSubject();
            UserId id;
            try {
                id = UserId.of(subject);
            } catch (ParleyException e) {
                throw rejected("token subject is not a valid user id");
            }
            if (id.isSystem()) {
                throw rejected("token subject \"system\" is reserved for Parley's system author");
            }
            String name = claims.getClaimValue("name") instanceof String raw ? displayNameLimits.fitDisplayName(raw) : "";
            String displayName = name.isEmpty() ? displayNameLimits.fitDisplayName(subject) : name;
            Instant expiresAt = claims.getExpirationTime() == null
                    ? Instant.MAX
                    : Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            Instant issuedAt = claims.getIssuedAt() == null
                    ? Instant.MIN
                    : Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            return new VerifiedToken(new User(id, displayName), expiresAt, issuedAt);
        } catch (MalformedClaimException e) {
            // jose4j validated these claims already, so this is only reachable through a jose4j change.
            throw rejected("token not accepted");
        }
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "invalid token signature";
        }
        if (e.hasExpired()) {
            return "token expired";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "token not yet valid";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "token has no expiry";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "token has no subject";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_MISSING) || e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "token issuer not accepted";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING) || e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return "token audience not accepted";
        }
        if (causedBy(e, InvalidAlgorithmException.class)) {
            return "token algorithm not accepted";
        }
        if (causedBy(e, UnresolvableKeyException.class)) {
            return "token signing key not known";
        }
        return "token not accepted";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static ParleyException rejected(String reason) {
        return new ParleyException(ErrorCode.UNAUTHORIZED, reason);
    }
}
