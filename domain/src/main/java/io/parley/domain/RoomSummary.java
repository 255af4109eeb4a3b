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
 * @param unread      messages by others, not deleted, with seq above the marker, counted up to
 *                    {@link #UNREAD_CAP}: exact below it, and {@code UNREAD_CAP} means that many or more
 * @param mentions    of those unread messages, the ones that mention the member, counted the same way
 */
public record RoomSummary(Room room, long lastSeq, Instant lastEventAt, long readUpTo, long unread, long mentions) {
    /**
     * Where unread counting stops. A list of rooms is read often and a member who never reads a busy room
     * can have any number of unread messages; counting each of them on every list would make the list's cost
     * grow with them. Past this many, a client shows "999+".
     */
    public static final int UNREAD_CAP = 1000;

    /** Validates the summary. */
    public RoomSummary {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(lastEventAt, "lastEventAt");
        if (unread < 0 || unread > UNREAD_CAP) {
            throw new IllegalArgumentException("unread must be 0.." + UNREAD_CAP + ": " + unread);
        }
        if (mentions < 0 || mentions > UNREAD_CAP) {
            throw new IllegalArgumentException("mentions must be 0.." + UNREAD_CAP + ": " + mentions);
        }
    }

    /**
     * A summary without mentions.
     *
     * @param room        the room
     * @param lastSeq     the seq of its latest durable event
     * @param lastEventAt the time of its latest durable event
     * @param readUpTo    the member's read marker
     * @param unread      unread messages, up to {@link #UNREAD_CAP}
     */
    public RoomSummary(Room room, long lastSeq, Instant lastEventAt, long readUpTo, long unread) {
        this(room, lastSeq, lastEventAt, readUpTo, unread, 0);
    }
}
