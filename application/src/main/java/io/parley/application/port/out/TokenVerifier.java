package io.parley.application.port.out;

import io.parley.domain.User;

import java.time.Instant;
import java.util.Objects;

/**
 * Turns a bearer token into a user.
 *
 * <p>Contract: a token is accepted only when its signature, algorithm, expiry (with the configured clock
 * skew) and configured issuer/audience all check out; otherwise {@link #verify} fails with
 * {@link io.parley.domain.ErrorCode#UNAUTHORIZED} and a message that does not contain the token.
 */
public interface TokenVerifier {
    /**
     * @param token the raw token (without {@code Bearer })
     * @return the verified identity
     */
    VerifiedToken verify(String token);

    /**
     * A verified token.
     *
     * @param user      the user ({@code sub}, display name from {@code name})
     * @param expiresAt when the token expires ({@link Instant#MAX} when it has no {@code exp})
     * @param issuedAt  when it was issued ({@code iat}; {@link Instant#MIN} when it does not say): a token
     *                  issued before its user's revocation is refused
     */
    record VerifiedToken(User user, Instant expiresAt, Instant issuedAt) {
        /** Validates the token. */
        public VerifiedToken {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(issuedAt, "issuedAt");
        }

        /**
         * A token that does not say when it was issued.
         *
         * @param user      the user
         * @param expiresAt when it expires
         */
        public VerifiedToken(User user, Instant expiresAt) {
            this(user, expiresAt, Instant.MIN);
        }
    }
}
