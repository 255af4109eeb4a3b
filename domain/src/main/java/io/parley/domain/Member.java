package io.parley.domain;

import java.util.Objects;

/**
 * A member of a room and their role in it.
 *
 * @param user the member
 * @param role owner, admin or member
 */
public record Member(UserId user, Role role) {
    /** Validates the member. */
    public Member {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
    }
}
