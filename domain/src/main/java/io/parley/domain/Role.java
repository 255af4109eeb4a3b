package io.parley.domain;

import java.util.Locale;

/**
 * A member's role in a room. The owner (one per room, its creator until they hand it over) does everything;
 * admins moderate (delete any message, add, remove and ban members, change settings); members take part.
 */
public enum Role {
    /** Owns the room: everything admins do, plus naming admins and handing the room over. */
    OWNER,
    /** Moderates the room. */
    ADMIN,
    /** Takes part. */
    MEMBER;

    /** @return whether this role moderates the room (owner or admin) */
    public boolean moderates() {
        return this != MEMBER;
    }

    /** @return the protocol spelling: {@code owner}, {@code admin} or {@code member} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value {@code owner}, {@code admin} or {@code member}
     * @return the role
     * @throws ParleyException {@code invalid} for another value
     */
    public static Role fromWire(String value) {
        return switch (value) {
            case "owner" -> OWNER;
            case "admin" -> ADMIN;
            case "member" -> MEMBER;
            default -> throw ParleyException.invalid("role must be owner, admin or member");
        };
    }
}
