package io.parley.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat room. Immutable; membership and events live in the stores.
 *
 * @param id        room id
 * @param owner     the owner: its creator until they hand it over
 * @param createdAt creation time
 * @param settings  name, visibility, topic, picture, metadata, archived: what its owner may change
 */
public record Room(RoomId id, UserId owner, Instant createdAt, RoomSettings settings) {
    /** Validates the room. */
    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(settings, "settings");
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
        return new Room(id, owner, createdAt, changed);
    }

    /**
     * @param newOwner who owns it now
     * @return this room handed over to them
     */
    public Room withOwner(UserId newOwner) {
        return new Room(id, newOwner, createdAt, settings);
    }

    /**
     * @param user a user
     * @return whether the user owns this room
     */
    public boolean isOwnedBy(UserId user) {
        return owner.equals(user);
    }
}
