package io.parley.domain;

/**
 * Identifies a user. Opaque; 1 to 128 characters without control characters.
 *
 * @param value the id as the client sees it
 */
public record UserId(String value) {
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

    @Override
    public String toString() {
        return value;
    }
}
