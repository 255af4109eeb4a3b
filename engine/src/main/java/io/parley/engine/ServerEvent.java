package io.parley.engine;

import io.parley.domain.ErrorCode;
import io.parley.domain.Message;
import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;

import java.util.Optional;

/**
 * An event from the server to a client (protocol v1). Encoded once by an {@link EventEncoder} and the
 * same bytes sent to every recipient.
 */
public sealed interface ServerEvent {
    /** @return whether the event may be dropped under back-pressure (typing, presence) */
    default boolean ephemeral() {
        return false;
    }

    /**
     * The first event of every connection.
     *
     * @param user        the authenticated user
     * @param session     session id (SSE and long-poll post commands with it)
     * @param transport   how the client is connected
     * @param heartbeatMs the heartbeat interval
     * @param resumed     whether an existing session was resumed
     */
    record Welcome(UserId user, String session, TransportKind transport, long heartbeatMs, boolean resumed)
            implements ServerEvent {
    }

    /**
     * The successful reply to a command.
     *
     * @param ref    the command's reference
     * @param result what the command produced
     */
    record Ack(Optional<String> ref, AckResult result) implements ServerEvent {
    }

    /**
     * The failed reply to a command, or a problem with a frame.
     *
     * @param ref     the command's reference, when it could be read
     * @param code    protocol error code ({@code unknown_type} besides the {@link ErrorCode} names)
     * @param message human-readable text
     */
    record Error(Optional<String> ref, String code, String message) implements ServerEvent {
        /**
         * @param ref     reference
         * @param code    why the command was refused
         * @param message text
         * @return the error event
         */
        public static Error of(Optional<String> ref, ErrorCode code, String message) {
            return new Error(ref, code.wireName(), message);
        }
    }

    /**
     * A durable room event.
     *
     * @param event the stored event, with its room and seq
     */
    record Durable(RoomEvent event) implements ServerEvent {
    }

    /**
     * A typing indicator.
     *
     * @param typing the indicator
     */
    record TypingEvent(Typing typing) implements ServerEvent {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * A member's presence.
     *
     * @param presence the member, the room and whether they are online
     */
    record PresenceEvent(Presence presence) implements ServerEvent {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * The reply to {@code ping}.
     *
     * @param ref the ping's reference
     */
    record Pong(Optional<String> ref) implements ServerEvent {
    }

    /** What an {@link Ack} carries. */
    sealed interface AckResult {
    }

    /** An ack with nothing more to say (e.g. {@code typing}, {@code unsubscribe}, or an unchanged read marker). */
    record Done() implements AckResult {
    }

    /**
     * The stored message of a {@code send} (the original one for a retry).
     *
     * @param message the message as stored, with its seq
     */
    record Posted(Message message) implements AckResult {
    }

    /**
     * The durable event a command produced ({@code edit}, {@code delete}, {@code read}, {@code join},
     * {@code leave}).
     *
     * @param event the stored event, as subscribers of the room receive it
     */
    record Changed(RoomEvent event) implements AckResult {
    }

    /**
     * The outcome of a room {@code subscribe}.
     *
     * @param room     the room subscribed to
     * @param lastSeq  the room's latest seq at subscription time
     * @param replayed how many events were replayed
     * @param complete false when more was missed than the replay limit
     */
    record Subscribed(RoomId room, long lastSeq, long replayed, boolean complete) implements AckResult {
    }

    /**
     * The outcome of an inbox {@code subscribe}.
     *
     * @param rooms per room: what a room subscribe would have acked
     */
    record InboxSubscribed(java.util.List<Subscribed> rooms) implements AckResult {
        /** Copies the list. */
        public InboxSubscribed {
            rooms = java.util.List.copyOf(rooms);
        }
    }
}
