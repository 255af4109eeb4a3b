package io.parley.application.port.in;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.UserId;

import java.time.Instant;

/**
 * What the product's backend does to a user's access: end their sessions, on every node, and refuse their
 * tokens issued before a time (revoke: an employee who left, a stolen device). Transports ask
 * {@link #checkNotRevoked} after verifying a token; live sessions of a revoked user end within a heartbeat
 * tick even when the signal that ends them at once is lost.
 */
public interface ManageUsers {
    /**
     * Ends every session of a user, on every node (WebSocket close {@code 4002}, an SSE stream's close event
     * with the same code; SSE and long-poll sessions lose their subscriptions). The user may connect again.
     *
     * @param user whose sessions end
     */
    void disconnect(UserId user);

    /**
     * Refuses the user's tokens issued before {@code before} (and tokens without an issue time), on every
     * node, and ends their sessions that were opened with such a token (close {@code 4001}, "token revoked").
     *
     * @param user   the user
     * @param before tokens issued before this are refused
     * @return the time now in force (a revocation never moves back)
     */
    Instant revoke(UserId user, Instant before);

    /**
     * @param user     a user
     * @param issuedAt when their token was issued, {@link Instant#MIN} when it does not say
     * @return whether that token is revoked
     */
    boolean revoked(UserId user, Instant issuedAt);

    /**
     * @param token a verified token
     * @throws io.parley.domain.ParleyException {@code unauthorized} ("token revoked") when it is revoked
     */
    void checkNotRevoked(TokenVerifier.VerifiedToken token);
}
