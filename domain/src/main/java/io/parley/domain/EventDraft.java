package io.parley.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A room event before it is stored: everything but its seq. A store appends a draft by assigning the
 * room's next seq and applying the draft's effect (a new message, an edit, a tombstone, a membership or
 * read-marker change) in the same atomic step.
 */
public sealed interface EventDraft {
    /** @return the room the event belongs to */
    RoomId room();

    /**
     * @param seq the seq the store assigned
     * @return the stored event
     */
    RoomEvent toEvent(long seq);

    /**
     * Post a message. With a client id, a second post by the same author with the same client id is a
     * retry: the store keeps the first message and appends nothing.
     *
     * @param room          the room to post in
     * @param messageId     the new message's id
     * @param author        who posts it
     * @param body          text
     * @param attachmentUrl attached file
     * @param clientId      the author's idempotency key
     * @param at            time
     * @param replyTo       the message it answers (in the same room), as the author saw it
     * @param mentions      the users it mentions
     */
    record Post(RoomId room, MessageId messageId, User author, String body, Optional<String> attachmentUrl,
                Optional<String> clientId, Instant at, Optional<ReplyPreview> replyTo, List<UserId> mentions)
            implements EventDraft {
        /** Validates the draft. */
        public Post {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(attachmentUrl, "attachmentUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(replyTo, "replyTo");
            // each user once: a store keeps one mention row per user and message
            mentions = mentions.isEmpty() ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(mentions));
        }

        /**
         * A post that answers nothing and mentions nobody.
         *
         * @param room          the room to post in
         * @param messageId     the new message's id
         * @param author        who posts it
         * @param body          text
         * @param attachmentUrl attached file
         * @param clientId      the author's idempotency key
         * @param at            time
         */
        public Post(RoomId room, MessageId messageId, User author, String body, Optional<String> attachmentUrl,
                    Optional<String> clientId, Instant at) {
            this(room, messageId, author, body, attachmentUrl, clientId, at, Optional.empty(), List.of());
        }

        @Override
        public RoomEvent.MessagePosted toEvent(long seq) {
            return new RoomEvent.MessagePosted(new Message(messageId, room, seq, author.id(), author.displayName(),
                    body, attachmentUrl, at, Optional.empty(), false, replyTo, mentions));
        }
    }

    /**
     * Replace a message's body. Appends nothing when the message is missing or deleted.
     *
     * @param room      the room of the message
     * @param messageId message
     * @param body      new text
     * @param at        time
     */
    record Edit(RoomId room, MessageId messageId, String body, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MessageEdited toEvent(long seq) {
            return new RoomEvent.MessageEdited(room, seq, messageId, body, at);
        }
    }

    /**
     * Turn a message into a tombstone. Appends nothing when the message is missing or deleted.
     *
     * @param room      the room of the message
     * @param messageId message
     * @param at        time
     */
    record Delete(RoomId room, MessageId messageId, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MessageDeleted toEvent(long seq) {
            return new RoomEvent.MessageDeleted(room, seq, messageId, at);
        }
    }

    /**
     * Make a user a member. Appends nothing when they are one already; refused ({@code forbidden}) when they
     * are banned from the room.
     *
     * @param room the room to join
     * @param user who becomes a member
     * @param at   time
     */
    record Join(RoomId room, UserId user, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MemberJoined toEvent(long seq) {
            return new RoomEvent.MemberJoined(room, seq, user, at);
        }
    }

    /**
     * End a user's membership. Appends nothing when they are not a member.
     *
     * @param room the room to leave
     * @param user whose membership ends
     * @param at   time
     */
    record Leave(RoomId room, UserId user, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MemberLeft toEvent(long seq) {
            return new RoomEvent.MemberLeft(room, seq, user, at);
        }
    }

    /**
     * Move a user's read marker forward. Appends nothing when {@code upTo} is not above the current
     * marker (markers only move forward).
     *
     * @param room the room whose events were read
     * @param user reader
     * @param upTo highest seq read
     * @param at   time
     */
    record Read(RoomId room, UserId user, long upTo, Instant at) implements EventDraft {
        @Override
        public RoomEvent.ReadUpTo toEvent(long seq) {
            return new RoomEvent.ReadUpTo(room, seq, user, upTo, at);
        }
    }

    /**
     * Change a room's settings, if nobody changed them first: appends nothing when the room's settings are
     * not {@code before} any more (a concurrent change won; the caller reads them again and retries).
     *
     * @param room   the room
     * @param by     who changes them
     * @param before the settings the change was computed from
     * @param after  the settings it leaves, different from {@code before}
     * @param at     time
     */
    record UpdateRoom(RoomId room, UserId by, RoomSettings before, RoomSettings after, Instant at)
            implements EventDraft {
        /** Validates the draft. */
        public UpdateRoom {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(at, "at");
            if (before.equals(after)) {
                throw new IllegalArgumentException("an update changes something");
            }
        }

        @Override
        public RoomEvent.RoomUpdated toEvent(long seq) {
            return new RoomEvent.RoomUpdated(room, seq, by, after, before.changedTo(after), at);
        }
    }

    /**
     * Give a member another role, admin or member. Appends nothing when they are not a member, own the
     * room or have that role already.
     *
     * @param room the room as it is now
     * @param user the member
     * @param role {@link Role#ADMIN} or {@link Role#MEMBER}
     * @param by   who changes it
     * @param at   time
     */
    record SetRole(RoomId room, UserId user, Role role, UserId by, Instant at) implements EventDraft {
        /** Validates the draft. */
        public SetRole {
            if (role == Role.OWNER) {
                throw new IllegalArgumentException("ownership changes hands with HandOver");
            }
        }

        @Override
        public RoomEvent.RoleChanged toEvent(long seq) {
            return new RoomEvent.RoleChanged(room, seq, user, role, by, at);
        }
    }

    /**
     * Hand the room from its owner to another member; the owner becomes an admin. Appends nothing when
     * {@code from} does not own the room (any more), or {@code to} is not a member.
     *
     * @param room the room as it is now
     * @param from its owner
     * @param to   the new owner
     * @param at   time
     */
    record HandOver(RoomId room, UserId from, UserId to, Instant at) implements EventDraft {
        @Override
        public RoomEvent.RoleChanged toEvent(long seq) {
            return new RoomEvent.RoleChanged(room, seq, to, Role.OWNER, from, at);
        }
    }

    /**
     * Ban a user, ending their membership if they are a member. Appends nothing when they are banned
     * already; refused ({@code forbidden}) when they own the room.
     *
     * @param room the room as it is now
     * @param user who is banned
     * @param by   who bans them
     * @param at   time
     */
    record Ban(RoomId room, UserId user, UserId by, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MemberBanned toEvent(long seq) {
            return new RoomEvent.MemberBanned(room, seq, user, by, at);
        }
    }

    /**
     * Lift a ban. Appends nothing when the user is not banned.
     *
     * @param room the room as it is now
     * @param user who is unbanned
     * @param by   who lifts the ban
     * @param at   time
     */
    record Unban(RoomId room, UserId user, UserId by, Instant at) implements EventDraft {
        @Override
        public RoomEvent.MemberUnbanned toEvent(long seq) {
            return new RoomEvent.MemberUnbanned(room, seq, user, by, at);
        }
    }

    /**
     * React to a message. Appends nothing when the user reacted with that emoji already; refused
     * ({@code not_found}) when the message is missing or deleted, and ({@code too_large}) when the message has
     * {@link Reaction#MAX_PER_MESSAGE} distinct reactions and this one is new.
     *
     * @param room      the room of the message
     * @param messageId the message
     * @param emoji     the reaction
     * @param user      who reacts
     * @param at        time
     */
    record React(RoomId room, MessageId messageId, String emoji, UserId user, Instant at) implements EventDraft {
        @Override
        public RoomEvent.ReactionAdded toEvent(long seq) {
            return new RoomEvent.ReactionAdded(room, seq, messageId, emoji, user, at);
        }
    }

    /**
     * Take a reaction back. Appends nothing when the user had not reacted with that emoji (or the message
     * is gone, taking its reactions with it).
     *
     * @param room      the room of the message
     * @param messageId the message
     * @param emoji     the reaction
     * @param user      who takes it back
     * @param at        time
     */
    record Unreact(RoomId room, MessageId messageId, String emoji, UserId user, Instant at) implements EventDraft {
        @Override
        public RoomEvent.ReactionRemoved toEvent(long seq) {
            return new RoomEvent.ReactionRemoved(room, seq, messageId, emoji, user, at);
        }
    }
}
