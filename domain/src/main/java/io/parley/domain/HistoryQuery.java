package io.parley.domain;

/**
 * A page of message history: the newest messages below a seq (newest first), or the oldest above a seq
 * (oldest first).
 *
 * @param direction which way to page
 * @param anchor    the exclusive bound: messages below it ({@code BACKWARD}) or above it ({@code FORWARD})
 * @param limit     1 to {@link #MAX_LIMIT} messages
 */
public record HistoryQuery(Direction direction, long anchor, int limit) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    public static final int MAX_LIMIT = 200;

    /** Which way a page goes. */
    public enum Direction {
        /** Newest first, seqs below the anchor. */
        BACKWARD,
        /** Oldest first, seqs above the anchor. */
        FORWARD
    }

    /** Validates the query. */
    public HistoryQuery {
        java.util.Objects.requireNonNull(direction, "direction");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ParleyException.invalid("limit must be between 1 and " + MAX_LIMIT);
        }
        if (anchor < 0) {
            throw ParleyException.invalid("seq must not be negative");
        }
    }

    /**
     * @param limit page size
     * @return the newest messages
     */
    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(Direction.BACKWARD, Long.MAX_VALUE, limit);
    }

    /**
     * @param seq   exclusive upper bound
     * @param limit page size
     * @return the newest messages below {@code seq}
     */
    public static HistoryQuery before(long seq, int limit) {
        return new HistoryQuery(Direction.BACKWARD, seq, limit);
    }

    /**
     * @param seq   exclusive lower bound
     * @param limit page size
     * @return the oldest messages above {@code seq}
     */
    public static HistoryQuery after(long seq, int limit) {
        return new HistoryQuery(Direction.FORWARD, seq, limit);
    }
}
