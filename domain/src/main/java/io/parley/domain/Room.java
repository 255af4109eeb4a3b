package io.parley.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat room. Immutable; membership and events live in the stores.
 *
 * @param id        room id
 * @param owner     the owner: its creator until they hand it over
 * @param createdAt creation time
 * @param settings  name, visibility, topic, picture, metadata, archived: what its owner may change
 * @param direct    for a direct conversation, its two people (it has no name, nobody else joins, nobody
 *                  moderates it); empty for a room
 */
public record Room(RoomId id, UserId owner, Instant createdAt, RoomSettings settings, Optional<DirectPair> direct) {
    /** Validates the room. */
    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(direct, "direct");
    }

    /**
     * A room (not a direct conversation).
     *
     * @param id        room id
     * @param owner     the owner
     * @param createdAt creation time
     * @param settings  its settings
     */
    public Room(RoomId id, UserId owner, Instant createdAt, RoomSettings settings) {
        this(id, owner, createdAt, settings, Optional.empty());
    }

    /**
     * A direct conversation, opened by one of its two people: private, without a name.
     *
     * @param pair      the two people
     * @param openedBy  the one who opened it (its owner in the store; a conversation has no moderator)
     * @param createdAt creation time
     * @return the room, with the pair's id
     */
    public static Room direct(DirectPair pair, UserId openedBy, Instant createdAt) {
        return new Room(pair.roomId(), openedBy, createdAt, RoomSettings.of("", Visibility.PRIVATE), Optional.of(pair));
    }

    /** @return whether it is a direct conversation */
    public boolean isDirect() {
        return direct.isPresent();
    }

    /**
     * A room with a name and visibility only (no topic, picture or metadata, not archived).
     *
     * @param id         room id
     * @param name       display name
     * @param visibility open or private
     * @param owner      the creator
     * @param createdAt  creation time
     */
    public Room(RoomId id, String name, Visibility visibility, UserId owner, Instant createdAt) {
        this(id, owner, createdAt, RoomSettings.of(name, visibility));
    }

    /** @return its display name */
    public String name() {
        return settings.name();
    }

    /** @return open or private */
    public Visibility visibility() {
        return settings.visibility();
    }

    /** @return whether it is read-only until unarchived */
    public boolean archived() {
        return settings.archived();
    }

    /**
     * @param changed new settings
     * @return this room with them
     */
    public Room with(RoomSettings changed) {
        return new Room(id, owner, createdAt, changed, direct);
    }

    /**
     * @param newOwner who owns it now
     * @return this room handed over to them
     */
    public Room withOwner(UserId newOwner) {
        return new Room(id, newOwner, createdAt, settings, direct);
    }

    /**
     * @param user any user
     * @return whether the user owns this room
     */
    public boolean isOwnedBy(UserId user) {
        return owner.equals(user);
    }
}
