package io.parley.domain;

/**
 * Identifies a user. Opaque; 1 to 128 characters without control characters.
 *
 * @param value the id as the client sees it
 */
public record UserId(String value) {
    /**
     * Parley's own author ({@code system}): the product's backend posts as it ("Ticket #42 was closed"),
     * clients render its messages apart. No user has this id: a token naming it is refused, and it is
     * never a member.
     */
    public static final UserId SYSTEM = new UserId("system");

    /** Validates the id. */
    public UserId {
        Identifiers.check("user id", value);
    }

    /**
     * Parses an id from the wire.
     *
     * @param value the raw value
     * @return the id
     * @throws ParleyException {@link ErrorCode#INVALID} when the value is not a valid id
     */
    public static UserId of(String value) {
        return new UserId(value);
    }

    /** @return whether this is {@link #SYSTEM}, the author that is no user */
    public boolean isSystem() {
        return equals(SYSTEM);
    }

    /**
     * @return this id
     * @throws ParleyException {@link ErrorCode#INVALID} for {@link #SYSTEM}, which is no user
     */
    public UserId requireUser() {
        if (isSystem()) {
            throw ParleyException.invalid("\"system\" is Parley's own author, not a user");
        }
        return this;
    }

    @Override
    public String toString() {
        return value;
    }
}
