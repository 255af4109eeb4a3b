package io.parley.application.port.out;

import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The durable state of a session that outlives its connection (SSE, long-poll): what any node needs to
 * serve its next stream, poll or command. The client's position in each room is not here; it travels in
 * the client's cursor, which names the subscription's {@link Subscription#version() version}.
 *
 * @param id            the session id, unique across nodes
 * @param user          the user the session belongs to
 * @param inbox         whether the session follows every room of the user, now and later
 * @param subscriptions the rooms the session receives, with where delivery starts and ends
 * @param excluded      rooms the client unsubscribed from while the inbox was on; the inbox does not
 *                      follow them again unless the user joins them again
 * @param liveOn        the node that registered the session as live in the {@link PresenceRegistry} and
 *                      keeps it there (a registry may tie a session to the node that opened it); empty when
 *                      the session is not live
 * @param seenUntil     until when the session was last known to be connected (a poll counts until its
 *                      wait ends)
 * @param expiresAt     when the record may be forgotten, unless used again before
 * @param revision      incremented by the store on every update; 0 when created
 */
public record ResumableSession(String id, UserId user, boolean inbox, Map<RoomId, Subscription> subscriptions,
                               Set<RoomId> excluded, Optional<String> liveOn, Instant seenUntil, Instant expiresAt,
                               long revision) {
    /** Validates the record and copies its collections. */
    public ResumableSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        subscriptions = Map.copyOf(subscriptions);
        excluded = Set.copyOf(excluded);
        Objects.requireNonNull(liveOn, "liveOn");
        Objects.requireNonNull(seenUntil, "seenUntil");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative");
        }
    }

    /**
     * A new session: no subscriptions, not live yet, revision 0.
     *
     * @param id        session id
     * @param user      its user
     * @param now       the time it is opened
     * @param expiresAt when it may be forgotten
     * @return the record
     */
    public static ResumableSession open(String id, UserId user, Instant now, Instant expiresAt) {
        return new ResumableSession(id, user, false, Map.of(), Set.of(), Optional.empty(), now, expiresAt, 0);
    }

    /** @return whether the session is registered as live in the presence registry */
    public boolean live() {
        return liveOn.isPresent();
    }

    /**
     * @param now the time
     * @return whether the record has expired and must be treated as gone
     */
    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /**
     * @param version a subscription version
     * @return the room subscribed with that version, if it is still current
     */
    public Optional<RoomId> roomOf(long version) {
        return subscriptions.entrySet().stream()
                .filter(e -> e.getValue().version() == version)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * A copy with other subscription state.
     *
     * @param inbox         inbox flag
     * @param subscriptions the room subscriptions, by room
     * @param excluded      rooms excluded from the inbox
     * @return the copy (same revision; the store sets the next one)
     */
    public ResumableSession withSubscriptions(boolean inbox, Map<RoomId, Subscription> subscriptions,
                                              Set<RoomId> excluded) {
        return new ResumableSession(id, user, inbox, subscriptions, excluded, liveOn, seenUntil, expiresAt,
                revision);
    }

    /**
     * A copy with other liveness.
     *
     * @param liveOn    the node keeping the session live, or empty
     * @param seenUntil until when it was seen
     * @param expiresAt when it may be forgotten
     * @return the copy (same revision; the store sets the next one)
     */
    public ResumableSession withLiveness(Optional<String> liveOn, Instant seenUntil, Instant expiresAt) {
        return new ResumableSession(id, user, inbox, subscriptions, excluded, liveOn, seenUntil, expiresAt,
                revision);
    }

    /**
     * A copy with another revision; for stores.
     *
     * @param revision the revision the store gives the copy
     * @return the copy
     */
    public ResumableSession withRevision(long revision) {
        return new ResumableSession(id, user, inbox, subscriptions, excluded, liveOn, seenUntil, expiresAt,
                revision);
    }

    /**
     * One room subscription of a resumable session.
     *
     * @param version identifies the subscription within its session and is never used again for another
     *                one (a new subscription to the same room has a new version), so that a cursor's
     *                position for an older subscription no longer applies
     * @param start   delivery starts after this seq
     * @param until   when bounded, the last seq to deliver: an incomplete replay pauses there until the
     *                client subscribes again, and a subscription ends with the user's own
     *                {@code member_left}
     * @param left    whether {@code until} is the seq of the user's own {@code member_left}
     */
    public record Subscription(long version, long start, OptionalLong until, boolean left) {
        /** Validates the subscription. */
        public Subscription {
            Objects.requireNonNull(until, "until");
            if (start < 0) {
                throw new IllegalArgumentException("start must not be negative");
            }
            if (until.isPresent() && until.getAsLong() < start) {
                throw new IllegalArgumentException("until must not be before start");
            }
            if (left && until.isEmpty()) {
                throw new IllegalArgumentException("a subscription that ended by leaving has an until");
            }
        }

        /**
         * @param version the subscription's version: a resubscribe starts a new one
         * @param start   start seq
         * @return an unbounded subscription
         */
        public static Subscription from(long version, long start) {
            return new Subscription(version, start, OptionalLong.empty(), false);
        }

        /**
         * @param position the last seq delivered
         * @return whether nothing more is to be delivered after that position
         */
        public boolean exhaustedAt(long position) {
            return until.isPresent() && position >= until.getAsLong();
        }
    }
}
