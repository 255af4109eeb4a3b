package io.parley.domain;

/**
 * Identifies a room. Opaque; 1 to 128 characters without control characters.
 *
 * @param value the id as the client sees it
 */
public record RoomId(String value) {
    /** Validates the id. */
    public RoomId {
        Identifiers.check("room id", value);
    }

    /**
     * Parses an id from the wire.
     *
     * @param value the raw value
     * @return the id
     * @throws ParleyException {@link ErrorCode#INVALID} when the value is not a valid id
     */
    public static RoomId of(String value) {
        return new RoomId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
