package io.parley.application.port.out;

import io.parley.domain.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The records of sessions that outlive their connection (SSE and long-poll), shared by every node: a
 * stream, a poll or a command of one session may land on any node, so nothing of the session may live only
 * in one node's memory.
 *
 * <p>Contract:
 * <ul>
 *     <li>{@link #create} stores a new record as given (revision 0); an id that exists fails with
 *     {@link io.parley.domain.ErrorCode#CONFLICT}.</li>
 *     <li>{@link #find} and {@link #update} see every create and update that returned before them, on any
 *     node (read-your-writes). They return records whatever their {@code expiresAt}: expiry is the
 *     caller's to judge ({@link ResumableSession#expired}); only {@link #removeExpired} forgets
 *     records.</li>
 *     <li>{@link #update} is an atomic read-modify-write: the change is applied to the current record and
 *     stored with the revision incremented by one, and no concurrent update is lost. The change function
 *     may be called more than once (optimistic retries); it must not have effects other than its result
 *     and must keep the id and user. An update of a missing id returns empty and stores nothing.</li>
 *     <li>{@link #silent} lists live records not seen since a time, whatever their expiry, so that a
 *     crashed node's sessions are noticed by the others.</li>
 *     <li>{@link #removeExpired} removes records whose {@code expiresAt} is at or before the given time and
 *     that are not live.</li>
 *     <li>A store that cannot be reached fails with {@link io.parley.domain.ErrorCode#UNAVAILABLE} within
 *     its configured timeout.</li>
 * </ul>
 */
public interface ResumableSessions {
    /**
     * Stores a new session.
     *
     * @param session the record, revision 0
     */
    void create(ResumableSession session);

    /**
     * @param id session id
     * @return the record, if stored
     */
    Optional<ResumableSession> find(String id);

    /**
     * Changes a record atomically.
     *
     * @param id     session id
     * @param change from the current record to the new one; may be called more than once
     * @return the stored record (with its new revision), or empty when there is no such record
     */
    Optional<ResumableSession> update(String id, UnaryOperator<ResumableSession> change);

    /**
     * @param seenBefore a time
     * @param limit      most records to return
     * @return live records whose {@code seenUntil} is before that time, oldest first
     */
    List<ResumableSession> silent(Instant seenBefore, int limit);

    /**
     * A user's sessions, for the per-user cap: each new session counts them, and ends the ones used longest
     * ago beyond the cap.
     *
     * @param user whose sessions
     * @param now  the time
     * @return the user's records that have not expired at {@code now}, least recently seen first
     *         ({@code seenUntil}, then id)
     */
    List<ResumableSession> ofUser(UserId user, Instant now);

    /**
     * Forgets expired records.
     *
     * @param now the time
     * @return how many were removed
     */
    int removeExpired(Instant now);
}
