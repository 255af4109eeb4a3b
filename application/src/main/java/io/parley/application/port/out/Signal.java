package io.parley.application.port.out;

import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;

import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What travels through the {@link Fanout}: a stored room event, an ephemeral typing or presence change, a
 * resumable session's changed record, a user's sessions ended by the backend, or the adapter's own notice
 * that signals may have been lost.
 */
public sealed interface Signal {
    /** @return whether this signal is ephemeral (may be dropped, never replayed) */
    boolean ephemeral();

    /**
     * A durable event, published after it was stored.
     *
     * @param event the event as stored, with its seq
     */
    record Durable(RoomEvent event) implements Signal {
        @Override
        public boolean ephemeral() {
            return false;
        }
    }

    /**
     * A typing indicator changed.
     *
     * @param typing the indicator
     */
    record TypingChanged(Typing typing) implements Signal {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * A member's presence changed; published on each room the user belongs to.
     *
     * @param room     the room it was published on
     * @param presence the new presence
     */
    record PresenceChanged(RoomId room, Presence presence) implements Signal {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * Sent by a fan-out adapter to a subscription (never published by the core) when delivery may have
     * lost signals, e.g. after the broker connection was re-established. Receivers of durable events read
     * what they missed from the store.
     */
    record Resync() implements Signal {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * A resumable session's record changed (a subscription was made or dropped by a command posted on
     * any node); published on the session's {@link Topic.Session topic}. Whoever serves the session
     * re-reads the record. Losing it only delays the change until the next re-read.
     *
     * @param session the session id
     */
    record SessionUpdated(String session) implements Signal {
        /** Validates the signal. */
        public SessionUpdated {
            Objects.requireNonNull(session, "session");
        }

        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * The backend ended a user's sessions ({@link io.parley.application.port.in.ManageUsers}): published on
     * {@link Topic#nodes()}, every node closes that user's sessions it serves. Not ephemeral: brokers that
     * drop ephemeral signals under pressure keep this one; a revocation that is lost anyway still ends the
     * sessions at the next refresh of the revocations (they are stored).
     *
     * @param user          the user
     * @param revokedBefore for a revocation, the time before which the user's tokens are refused; empty for a
     *                      plain disconnect
     */
    record SessionsEnded(UserId user, Optional<Instant> revokedBefore) implements Signal {
        /** Validates the signal. */
        public SessionsEnded {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(revokedBefore, "revokedBefore");
        }

        @Override
        public boolean ephemeral() {
            return false;
        }
    }
}
