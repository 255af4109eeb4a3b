package io.parley.application.port.out;

import io.parley.domain.RoomId;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where each {@link EventListener feed} has got to in each room, and which node delivers a room's events to it
 * now: the durable half of "every durable event once, in room order, resumable". The room log is the outbox: an
 * event is stored once, in its room's log, in the transaction that appends it; a feed's cursor says how far
 * the feed has taken it. A claim is a lease: one holder at a time per (feed, room), so on several nodes each
 * event is delivered by one node, and a holder that dies is replaced once its lease runs out.
 *
 * <p>Contract:
 * <ul>
 *     <li>{@link #register} the first time for a feed puts every existing room's cursor at its latest seq (a new
 *     feed starts with what happens from then on); a room without a cursor starts at 0. Registering again
 *     changes nothing.</li>
 *     <li>{@link #claim} succeeds when the (feed, room) is free, its lease has run out, or the holder already
 *     has it, and returns the cursor; otherwise it returns empty. Of concurrent claims, one wins.</li>
 *     <li>{@link #advance} moves the cursor forward and extends the lease only for the holder; a cursor never
 *     moves back.</li>
 *     <li>{@link #behind} lists rooms with events after the feed's cursor, whoever holds them.</li>
 *     <li>A store that cannot be reached fails with {@link io.parley.domain.ErrorCode#UNAVAILABLE}.</li>
 * </ul>
 */
public interface FeedCursors {
    /**
     * @param feed the feed's name
     * @return whether it was registered now (false: it was already)
     */
    boolean register(String feed);

    /**
     * @param feed   the feed
     * @param room   the room
     * @param holder who claims it (a node's id)
     * @param now    the time now: an older lease has run out
     * @param until  when the lease runs out unless extended
     * @return the seq the feed has taken in this room, empty when another holder has the claim
     */
    OptionalLong claim(String feed, RoomId room, String holder, Instant now, Instant until);

    /**
     * @param feed   the feed
     * @param room   the room
     * @param holder the holder of the claim
     * @param seq    the seq taken now (not below the cursor)
     * @param until  the lease's new end
     * @return false when the holder no longer has the claim (nothing changed)
     */
    boolean advance(String feed, RoomId room, String holder, long seq, Instant until);

    /**
     * Gives the claim up (a holder that has nothing more to deliver).
     *
     * @param feed   the feed
     * @param room   the room
     * @param holder who holds the claim; a claim held by another is left alone
     */
    void release(String feed, RoomId room, String holder);

    /**
     * @param feed  the feed
     * @param limit the most rooms to return
     * @return rooms whose log goes past the feed's cursor
     */
    List<RoomId> behind(String feed, int limit);
}
