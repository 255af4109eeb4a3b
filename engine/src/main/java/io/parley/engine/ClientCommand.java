package io.parley.engine;

import io.parley.domain.MessageId;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A command from a client (protocol v1), already decoded and validated for shape. Every command may carry
 * a client-chosen {@code ref} that its reply echoes.
 */
public sealed interface ClientCommand {
    /** @return the client's reference, echoed in the reply */
    Optional<String> ref();

    /** @return the protocol type name */
    String type();

    /**
     * Receive a room's events; with {@code after}, first replay what was missed.
     *
     * @param ref   reference
     * @param room  the room to follow
     * @param after last seq the client has
     */
    record Subscribe(Optional<String> ref, RoomId room, OptionalLong after) implements ClientCommand {
        @Override
        public String type() {
            return "subscribe";
        }
    }

    /**
     * Receive the events of every room the user belongs to, now and later.
     *
     * @param ref   reference
     * @param after last seq per room the client has
     */
    record SubscribeInbox(Optional<String> ref, Map<RoomId, Long> after) implements ClientCommand {
        /** Copies the map. */
        public SubscribeInbox {
            after = Map.copyOf(after);
        }

        @Override
        public String type() {
            return "subscribe";
        }
    }

    /**
     * Stop receiving a room's events.
     *
     * @param ref  reference
     * @param room the room to stop following
     */
    record Unsubscribe(Optional<String> ref, RoomId room) implements ClientCommand {
        @Override
        public String type() {
            return "unsubscribe";
        }
    }

    /**
     * Stop receiving the inbox (and every room it subscribed).
     *
     * @param ref reference
     */
    record UnsubscribeInbox(Optional<String> ref) implements ClientCommand {
        @Override
        public String type() {
            return "unsubscribe";
        }
    }

    /**
     * Become a member of an open room.
     *
     * @param ref  reference
     * @param room the open room to join
     */
    record Join(Optional<String> ref, RoomId room) implements ClientCommand {
        @Override
        public String type() {
            return "join";
        }
    }

    /**
     * Stop being a member.
     *
     * @param ref  reference
     * @param room the room to leave
     */
    record Leave(Optional<String> ref, RoomId room) implements ClientCommand {
        @Override
        public String type() {
            return "leave";
        }
    }

    /**
     * Post a message.
     *
     * @param ref           reference
     * @param room          the room to post in
     * @param body          text
     * @param clientId      idempotency key
     * @param attachmentUrl attached file
     * @param replyTo       the message it answers
     * @param mentions      users it mentions
     */
    record Send(Optional<String> ref, RoomId room, String body, Optional<String> clientId,
                Optional<String> attachmentUrl, Optional<MessageId> replyTo, List<UserId> mentions)
            implements ClientCommand {
        /** Validates presence of the fields. */
        public Send {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(replyTo, "replyTo");
            mentions = List.copyOf(mentions);
        }

        /**
         * A send that answers nothing and mentions nobody.
         *
         * @param ref           the client's reference
         * @param room          the room
         * @param body          text
         * @param clientId      the idempotency key
         * @param attachmentUrl an attached file
         */
        public Send(Optional<String> ref, RoomId room, String body, Optional<String> clientId,
                    Optional<String> attachmentUrl) {
            this(ref, room, body, clientId, attachmentUrl, Optional.empty(), List.of());
        }

        @Override
        public String type() {
            return "send";
        }
    }

    /**
     * Replace a message's body.
     *
     * @param ref       reference
     * @param room      the room of the message
     * @param messageId message
     * @param body      new text
     */
    record Edit(Optional<String> ref, RoomId room, MessageId messageId, String body) implements ClientCommand {
        @Override
        public String type() {
            return "edit";
        }
    }

    /**
     * Delete a message.
     *
     * @param ref       reference
     * @param room      the room of the message
     * @param messageId message
     */
    record Delete(Optional<String> ref, RoomId room, MessageId messageId) implements ClientCommand {
        @Override
        public String type() {
            return "delete";
        }
    }

    /**
     * React to a message.
     *
     * @param ref       reference
     * @param room      the room of the message
     * @param messageId message
     * @param emoji     the reaction
     */
    record React(Optional<String> ref, RoomId room, MessageId messageId, String emoji) implements ClientCommand {
        @Override
        public String type() {
            return "react";
        }
    }

    /**
     * Take a reaction back.
     *
     * @param ref       reference
     * @param room      the room of the message
     * @param messageId message
     * @param emoji     the reaction
     */
    record Unreact(Optional<String> ref, RoomId room, MessageId messageId, String emoji) implements ClientCommand {
        @Override
        public String type() {
            return "unreact";
        }
    }

    /**
     * Start or stop a typing indicator.
     *
     * @param ref    reference
     * @param room   the room the user types in
     * @param active typing or not
     */
    record Typing(Optional<String> ref, RoomId room, boolean active) implements ClientCommand {
        @Override
        public String type() {
            return "typing";
        }
    }

    /**
     * Read receipt.
     *
     * @param ref  reference
     * @param room the room whose events were read
     * @param seq  everything up to this seq is read
     */
    record Read(Optional<String> ref, RoomId room, long seq) implements ClientCommand {
        @Override
        public String type() {
            return "read";
        }
    }

    /**
     * Set this session's status.
     *
     * @param ref    reference
     * @param status online or away
     */
    record SetPresence(Optional<String> ref, PresenceStatus status) implements ClientCommand {
        @Override
        public String type() {
            return "presence";
        }
    }

    /**
     * Application-level ping.
     *
     * @param ref reference
     */
    record Ping(Optional<String> ref) implements ClientCommand {
        @Override
        public String type() {
            return "ping";
        }
    }
}
