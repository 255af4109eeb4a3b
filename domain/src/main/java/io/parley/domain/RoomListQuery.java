package io.parley.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of a user's room list, most recently active first: the first page, or the rooms after a position.
 *
 * <p>The order is by the time of each room's latest durable event (newest first), then by room id. A
 * position is the (time, id) of the last room of the previous page, so paging stays correct however many
 * rooms the user has; a room that becomes active while the list is being paged moves to the front and is
 * not listed again by the later pages (a client learns of it through its inbox subscription).
 *
 * @param after the position to continue from; empty for the first page
 * @param limit 1 to {@link #MAX_LIMIT} rooms
 */
public record RoomListQuery(Optional<Position> after, int limit) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    public static final int MAX_LIMIT = 200;

    /**
     * Where a page ended.
     *
     * @param lastEventAt the time of the room's latest durable event (its creation when it has none)
     * @param room        the room
     */
    public record Position(Instant lastEventAt, RoomId room) {
        /** Validates the position. */
        public Position {
            Objects.requireNonNull(lastEventAt, "lastEventAt");
            Objects.requireNonNull(room, "room");
        }

        /**
         * @param summary a listed room
         * @return the position just after it
         */
        public static Position of(RoomSummary summary) {
            return new Position(summary.lastEventAt(), summary.room().id());
        }

        /**
         * @param summary a room
         * @return whether it comes after this position in the list order
         */
        public boolean precedes(RoomSummary summary) {
            int byTime = summary.lastEventAt().compareTo(lastEventAt);
            return byTime < 0 || byTime == 0 && summary.room().id().value().compareTo(room.value()) > 0;
        }
    }

    /** Validates the query. */
    public RoomListQuery {
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ParleyException.invalid("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /**
     * @param limit page size
     * @return the first page
     */
    public static RoomListQuery first(int limit) {
        return new RoomListQuery(Optional.empty(), limit);
    }

    /**
     * @param position where the previous page ended
     * @param limit    page size
     * @return the page after it
     */
    public static RoomListQuery after(Position position, int limit) {
        return new RoomListQuery(Optional.of(position), limit);
    }
}
