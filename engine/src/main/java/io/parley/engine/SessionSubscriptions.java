package io.parley.engine;

import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a session's {@code subscribe} and {@code unsubscribe} commands take effect. A {@link ChatSession}
 * keeps its subscriptions in memory; a transport whose sessions outlive their connection (SSE, long-poll)
 * keeps them in a record any node can read, and runs the commands through
 * {@link SessionHub#execute(io.parley.domain.User, String, SessionSubscriptions, ClientCommand)}.
 *
 * <p>Each method checks membership as a live session does and fails with a
 * {@link io.parley.domain.ParleyException} ({@code forbidden}, {@code not_found}) when the user may not
 * read the room.
 */
public interface SessionSubscriptions {
    /**
     * Subscribes to a room, replacing an existing subscription to it.
     *
     * @param room  the room
     * @param after the last seq the client has; empty for live events only
     * @return what the {@code ack} reports
     */
    ServerEvent.Subscribed subscribe(RoomId room, OptionalLong after);

    /**
     * Follows every room of the user, now and later.
     *
     * @param after the last seq the client has per room
     * @return per current room, what a room subscribe would report
     */
    List<ServerEvent.Subscribed> subscribeInbox(Map<RoomId, Long> after);

    /**
     * Stops receiving a room; harmless when not subscribed.
     *
     * @param room the room to stop receiving
     */
    void unsubscribe(RoomId room);

    /** Stops the inbox and every room subscription. */
    void unsubscribeInbox();

    /** The {@code limit} label of the refusals' metric. */
    String LIMIT = "subscriptions_per_session";

    /**
     * The refusal of a {@code subscribe} over {@link SessionSettings#maxSubscriptionsPerSession()}.
     *
     * @param max the limit
     * @return a {@code too_large} error naming it
     */
    static ParleyException tooMany(int max) {
        return ParleyException.tooLarge("at most " + max + " room subscriptions per session: unsubscribe from one,"
                + " or subscribe to the inbox");
    }
}
