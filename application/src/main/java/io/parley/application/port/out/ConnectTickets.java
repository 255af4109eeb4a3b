package io.parley.application.port.out;

import java.time.Instant;
import java.util.Optional;

/**
 * Short-lived, single-use connect tickets: what a browser puts in a WebSocket or SSE URL instead of its access
 * token (URLs end up in proxy logs, browser history and {@code Referer} headers). A ticket is issued for a
 * verified token and redeemed once, on any node, within its lifetime. The store keeps tickets by an id the
 * caller derives from them (a hash), so what it holds cannot be replayed.
 *
 * <p>Contract: {@link #take} returns a stored ticket's token exactly once, even to concurrent callers on
 * several nodes, and never after its expiry; unknown ids are empty. Expired tickets are forgotten by the store
 * itself, without a caller's help. Failures are {@link io.parley.domain.ErrorCode#UNAVAILABLE}.
 */
public interface ConnectTickets {
    /**
     * @param id        the ticket's id (a hash of the ticket, never the ticket)
     * @param token     the verified token the ticket stands for
     * @param now       the time it is issued (tickets expired by then may be forgotten)
     * @param expiresAt when the ticket stops being valid
     */
    void store(String id, TokenVerifier.VerifiedToken token, Instant now, Instant expiresAt);

    /**
     * Redeems a ticket: removes it and returns its token.
     *
     * @param id  the ticket's id
     * @param now the time of the redemption
     * @return the token, once; empty when the ticket is unknown, used or expired
     */
    Optional<TokenVerifier.VerifiedToken> take(String id, Instant now);
}
