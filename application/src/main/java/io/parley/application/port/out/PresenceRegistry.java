package io.parley.application.port.out;

import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which users have live sessions, with each session's own status, across all nodes.
 *
 * <p>Contract:
 * <ul>
 *     <li>A user's status is {@link PresenceStatus#aggregate aggregated} over their live sessions: online
 *     if any is online, away if all are away, offline when none is live.</li>
 *     <li>Each mutating call returns the user's new presence when the aggregated status changed, and empty
 *     when it did not (a second device connecting does not announce the user again).</li>
 *     <li>{@code lastSeen} is the time of the last change of status, or of the last session's end.</li>
 *     <li>Calls for an unknown session are harmless.</li>
 * </ul>
 */
public interface PresenceRegistry {
    /**
     * A session went live (status online).
     *
     * @param user    whose session went live
     * @param session session id, unique across nodes
     * @param at      time
     * @return the new presence if the user's status changed
     */
    Optional<Presence> sessionOpened(UserId user, String session, Instant at);

    /**
     * A session ended.
     *
     * @param user    whose session ended
     * @param session session id
     * @param at      time
     * @return the new presence if the user's status changed
     */
    Optional<Presence> sessionClosed(UserId user, String session, Instant at);

    /**
     * A session set its status.
     *
     * @param user    whose session changed status
     * @param session session id
     * @param status  online or away
     * @param at      time
     * @return the new presence if the user's status changed
     */
    Optional<Presence> statusSet(UserId user, String session, PresenceStatus status, Instant at);

    /**
     * Registers a listener for changes the registry detects by itself, such as the sessions of a crashed
     * node expiring. Registries without expiry (a single node) never call it.
     *
     * @param listener called with the user's new presence; must not block
     */
    default void onExpiry(java.util.function.Consumer<Presence> listener) {
    }

    /**
     * @param users the users to look up
     * @return their presence, in the same order; never-seen users are offline with last seen at the epoch
     */
    List<Presence> presenceOf(Collection<UserId> users);
}
