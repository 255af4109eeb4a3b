package io.parley.domain;

import java.util.Objects;

/**
 * An ephemeral typing indicator. {@code active} true starts or renews it; it ends by itself
 * {@link #EXPIRY} after the last renewal, or when {@code active} false arrives.
 *
 * @param room   the room the user types in
 * @param user   who types
 * @param active whether they are typing
 */
public record Typing(RoomId room, UserId user, boolean active) {
    /** How long an indicator lasts without renewal. */
    public static final java.time.Duration EXPIRY = java.time.Duration.ofSeconds(3);

    /** Validates the indicator. */
    public Typing {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(user, "user");
    }
}
