package io.parley.domain;

/** Who may join a room by themselves. */
public enum Visibility {
    /** Anyone may join. */
    OPEN,
    /** Only the owner adds members. */
    PRIVATE;

    /** @return the protocol spelling, {@code open} or {@code private} */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses the protocol spelling.
     *
     * @param value {@code open} or {@code private}
     * @return the visibility
     */
    public static Visibility fromWire(String value) {
        return switch (value) {
            case "open" -> OPEN;
            case "private" -> PRIVATE;
            default -> throw ParleyException.invalid("visibility must be open or private");
        };
    }
}
