package io.parley.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * The two people of a direct conversation, in a canonical order (by id), and the one room id they share:
 * whoever opens it first, on whichever node, creates the room with that id, and anyone opening it later
 * (or at the same moment) finds it, because the store refuses a second room with the same id.
 *
 * @param first  the user whose id sorts first
 * @param second the other
 */
public record DirectPair(UserId first, UserId second) {
    /** How every direct conversation's room id starts (no other room's may). */
    public static final String PREFIX = "dm-";

    /** Validates the pair: two different users, in order. */
    public DirectPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.value().compareTo(second.value()) >= 0) {
            throw new IllegalArgumentException("a pair is two different users, the smaller id first");
        }
    }

    /**
     * @param a one user
     * @param b another
     * @return the pair in canonical order
     * @throws ParleyException {@code invalid} when {@code a} and {@code b} are the same user
     */
    public static DirectPair of(UserId a, UserId b) {
        int order = a.value().compareTo(b.value());
        if (order == 0) {
            throw ParleyException.invalid("a direct conversation is between two different users");
        }
        return order < 0 ? new DirectPair(a, b) : new DirectPair(b, a);
    }

    /**
     * @return the room id of this pair's conversation: {@code dm-} and the first 32 characters of the
     *         base64url SHA-256 of both ids (so any id length fits, and the id says nothing of who talks)
     */
    public RoomId roomId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((first.value() + "\u0000" + second.value()).getBytes(StandardCharsets.UTF_8));
            return RoomId.of(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * @param user one of the two
     * @return the other one
     */
    public UserId other(UserId user) {
        if (user.equals(first)) {
            return second;
        }
        if (user.equals(second)) {
            return first;
        }
        throw new IllegalArgumentException(user + " is not in this conversation");
    }

    /**
     * @param user any user
     * @return whether the user is one of the two
     */
    public boolean includes(UserId user) {
        return user.equals(first) || user.equals(second);
    }
}
