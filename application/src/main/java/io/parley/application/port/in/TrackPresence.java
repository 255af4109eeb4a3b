package io.parley.application.port.in;

import io.parley.domain.PresenceStatus;
import io.parley.domain.User;

/**
 * Presence as sessions come and go: a user is online while at least one of their sessions is, on any
 * node. Every change of a user's status is announced in each room they belong to. A transport (or the
 * session engine on its behalf) calls {@link #opened} once when a session becomes live and
 * {@link #closed} once when it ends.
 */
public interface TrackPresence {
    /**
     * @param user    whose session became live
     * @param session the session's id
     */
    void opened(User user, String session);

    /**
     * @param user    whose session ended
     * @param session the session's id
     */
    void closed(User user, String session);

    /**
     * Sets the status of one session.
     *
     * @param user    whose session sets it
     * @param session the session's id
     * @param status  {@code ONLINE} or {@code AWAY} ({@code invalid} for {@code OFFLINE})
     */
    void set(User user, String session, PresenceStatus status);
}
