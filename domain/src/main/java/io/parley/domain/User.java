package io.parley.domain;

import java.util.Objects;

/**
 * An authenticated person: an id and the name shown next to their messages.
 *
 * @param id          the user id (the token's {@code sub})
 * @param displayName the display name (the token's {@code name}, else the id)
 */
public record User(UserId id, String displayName) {
    /** Validates the user. */
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
    }

    /**
     * A user whose display name is their id.
     *
     * @param id the user's id, also shown as their name
     * @return the user
     */
    public static User of(String id) {
        return new User(UserId.of(id), id);
    }
}
