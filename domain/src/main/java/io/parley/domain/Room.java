package io.parley.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat room. Immutable; membership and events live in the stores.
 *
 * @param id         room id
 * @param name       display name
 * @param visibility open or private
 * @param owner      the creator, who manages members
 * @param createdAt  creation time
 */
public record Room(RoomId id, String name, Visibility visibility, UserId owner, Instant createdAt) {
    /** Validates the room. */
    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param user a user
     * @return whether the user owns this room
     */
    public boolean isOwnedBy(UserId user) {
        return owner.equals(user);
    }
}
