package io.parley.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A room as one member sees it in their room list.
 *
 * @param room        the room
 * @param lastSeq     the seq of its latest durable event (0 when none)
 * @param lastEventAt the time of its latest durable event (the room's creation when none): the list's order
 * @param readUpTo    the member's read marker
 * @param unread      messages by others, not deleted, with seq above the marker
 */
public record RoomSummary(Room room, long lastSeq, Instant lastEventAt, long readUpTo, long unread) {
    /** Validates the summary. */
    public RoomSummary {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(lastEventAt, "lastEventAt");
    }
}
