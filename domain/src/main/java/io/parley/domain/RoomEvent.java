package io.parley.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A durable room event. Every event of a room has a seq: strictly increasing, gap-free, starting at 1,
 * assigned when the event is stored. A client that remembers the last seq it saw per room can resume
 * without loss or duplicates.
 */
public sealed interface RoomEvent {
    /** @return the room */
    RoomId room();

    /** @return the room seq */
    long seq();

    /** @return when the event was stored */
    Instant at();

    /**
     * @param user any user
     * @return whether this event ends the user's membership: their {@code member_left}, their
     *         {@code member_banned} (a ban ends the membership of a member), or the room's
     *         {@code room_deleted} (which ends everyone's)
     */
    default boolean endsMembershipOf(UserId user) {
        return this instanceof MemberLeft left && left.user().equals(user)
                || this instanceof MemberBanned banned && banned.user().equals(user)
                || this instanceof RoomDeleted;
    }

    /**
     * A message was posted.
     *
     * @param message the message as stored
     */
    record MessagePosted(Message message) implements RoomEvent {
        /** Validates the event. */
        public MessagePosted {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public RoomId room() {
            return message.room();
        }

        @Override
        public long seq() {
            return message.seq();
        }

        @Override
        public Instant at() {
            return message.sentAt();
        }
    }

    /**
     * A message's body was replaced.
     *
     * @param room      the room the event belongs to
     * @param seq       seq of this event
     * @param messageId the edited message
     * @param body      the new body
     * @param at        edit time
     */
    record MessageEdited(RoomId room, long seq, MessageId messageId, String body, Instant at) implements RoomEvent {
    }

    /**
     * A message became a tombstone.
     *
     * @param room      the room the event belongs to
     * @param seq       seq of this event
     * @param messageId the deleted message
     * @param at        deletion time
     */
    record MessageDeleted(RoomId room, long seq, MessageId messageId, Instant at) implements RoomEvent {
    }

    /**
     * A user became a member.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user the new member
     * @param at   time
     */
    record MemberJoined(RoomId room, long seq, UserId user, Instant at) implements RoomEvent {
    }

    /**
     * A user stopped being a member (left or was removed).
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user the former member
     * @param at   time
     */
    record MemberLeft(RoomId room, long seq, UserId user, Instant at) implements RoomEvent {
    }

    /**
     * A read receipt: the user has read everything up to {@code upTo}.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user the reader
     * @param upTo the highest seq read
     * @param at   time
     */
    record ReadUpTo(RoomId room, long seq, UserId user, long upTo, Instant at) implements RoomEvent {
    }

    /**
     * A room's settings were changed.
     *
     * @param room     the room the event belongs to
     * @param seq      seq of this event
     * @param by       who changed them
     * @param settings every setting as the change left it
     * @param changed  the settings whose values changed, never empty
     * @param at       time
     */
    record RoomUpdated(RoomId room, long seq, UserId by, RoomSettings settings, List<RoomSettings.Field> changed,
                       Instant at) implements RoomEvent {
        /** Validates the event and copies the list. */
        public RoomUpdated {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(settings, "settings");
            changed = List.copyOf(changed);
        }
    }

    /**
     * A member's role changed. {@link Role#OWNER} is a hand-over: {@code by}, the owner until then, became an
     * admin in the same step.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user the member whose role changed
     * @param role their new role
     * @param by   who changed it
     * @param at   time
     */
    record RoleChanged(RoomId room, long seq, UserId user, Role role, UserId by, Instant at) implements RoomEvent {
    }

    /**
     * A user was banned: a member stops being one, and nobody banned joins or is added until unbanned.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user who was banned
     * @param by   who banned them
     * @param at   time
     */
    record MemberBanned(RoomId room, long seq, UserId user, UserId by, Instant at) implements RoomEvent {
    }

    /**
     * A ban was lifted: the user may join again (an open room) or be added.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event
     * @param user who was unbanned
     * @param by   who lifted the ban
     * @param at   time
     */
    record MemberUnbanned(RoomId room, long seq, UserId user, UserId by, Instant at) implements RoomEvent {
    }

    /**
     * A user reacted to a message.
     *
     * @param room      the room the event belongs to
     * @param seq       seq of this event
     * @param messageId the message
     * @param emoji     the reaction
     * @param user      who reacted
     * @param at        time
     */
    record ReactionAdded(RoomId room, long seq, MessageId messageId, String emoji, UserId user, Instant at)
            implements RoomEvent {
    }

    /**
     * A user took a reaction back.
     *
     * @param room      the room the event belongs to
     * @param seq       seq of this event
     * @param messageId the message
     * @param emoji     the reaction
     * @param user      who took it back
     * @param at        time
     */
    record ReactionRemoved(RoomId room, long seq, MessageId messageId, String emoji, UserId user, Instant at)
            implements RoomEvent {
    }

    /**
     * The room was deleted: its last event. Its messages, members, bans and read markers are gone with it,
     * and so are its earlier events; nothing can be appended after this one.
     *
     * @param room the room the event belongs to
     * @param seq  seq of this event, the room's last
     * @param by   who deleted it (the owner the server API acts as)
     * @param at   time
     */
    record RoomDeleted(RoomId room, long seq, UserId by, Instant at) implements RoomEvent {
        /** Validates the event. */
        public RoomDeleted {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }
    }
}
