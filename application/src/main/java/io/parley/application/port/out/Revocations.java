package io.parley.application.port.out;

import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Map;

/**
 * Where revocations are kept: for a user, the time before which their tokens are refused (the "fired
 * employee" case). Shared by every node that shares the store.
 *
 * <p>Contract: {@link #revoke} never moves a user's time back (a later call with an earlier time leaves the
 * later one); {@link #all} returns every user's latest time; both are durable once they return. A store that
 * cannot be reached fails with {@link io.parley.domain.ErrorCode#UNAVAILABLE}.
 */
public interface Revocations {
    /**
     * Refuses the user's tokens issued before a time.
     *
     * @param user   the user
     * @param before tokens issued before this are refused
     * @return the time now in force for the user (the later of {@code before} and any earlier revocation's)
     */
    Instant revoke(UserId user, Instant before);

    /** @return every revoked user with the time before which their tokens are refused */
    Map<UserId, Instant> all();
}
