package io.parley.domain;

/**
 * Identifies a message. Opaque; 1 to 128 characters without control characters.
 *
 * @param value the id as the client sees it
 */
public record MessageId(String value) {
    /** Validates the id. */
    public MessageId {
        Identifiers.check("message id", value);
    }

    /**
     * Parses an id from the wire.
     *
     * @param value the raw value
     * @return the id
     * @throws ParleyException {@link ErrorCode#INVALID} when the value is not a valid id
     */
    public static MessageId of(String value) {
        return new MessageId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
