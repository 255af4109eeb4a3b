package io.parley.application.port.out;

import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable, ordered log of each room's events, and the current state those events produce
 * (messages with edits and tombstones, memberships, read markers).
 *
 * <p>Contract:
 * <ul>
 *     <li>{@link #append} assigns the room's next seq atomically per room: seqs are 1, 2, 3, … with no gap
 *     and no duplicate, even with many concurrent writers on many nodes. The event and its effect on the
 *     state are stored in the same atomic step; when {@code append} returns, both are durable and visible
 *     to every reader.</li>
 *     <li>Conditional drafts append nothing and return {@link AppendOutcome.Unchanged} when they would not
 *     change the state: a join by a member, a leave by a non-member, a read marker that would not move
 *     forward, an edit or delete of a missing or deleted message.</li>
 *     <li>A {@link EventDraft.Post} with a client id that the same author already used, in any room,
 *     returns {@link AppendOutcome.AlreadyPosted} with the first message (in its current state, from the
 *     room it was posted to) and appends nothing: the idempotency key is (author, client id), whatever
 *     room the retry names.</li>
 *     <li>A deleted message's content is kept nowhere: not in its current state (a tombstone, without reply,
 *     mentions or reactions), and not in the events that {@link #eventsAfter} replays.</li>
 *     <li>Appending to a room that does not exist fails with {@link io.parley.domain.ErrorCode#NOT_FOUND}.</li>
 *     <li>A store that cannot be reached fails with {@link io.parley.domain.ErrorCode#UNAVAILABLE}
 *     within its configured timeout.</li>
 * </ul>
 */
public interface RoomLog {
    /**
     * Appends an event.
     *
     * @param draft the event without its seq
     * @return what happened
     */
    AppendOutcome append(EventDraft draft);

    /**
     * @param room      the room the message was posted in
     * @param messageId message
     * @return the message in its current state, if it exists in that room
     */
    Optional<Message> message(RoomId room, MessageId messageId);

    /**
     * @param room  the room whose messages to page through
     * @param query which page
     * @return messages only (no other events), in their current state, each with its reactions counted (in
     *         the order each emoji was first given; {@link io.parley.domain.Reaction#mine()} false: see
     *         {@link #reactedBy})
     */
    HistoryPage history(RoomId room, HistoryQuery query);

    /**
     * @param room     the room of the messages
     * @param reader   a user
     * @param messages messages of the room
     * @return for those the reader reacted to, the reactions the reader gave
     */
    Map<MessageId, Set<String>> reactedBy(RoomId room, UserId reader, Collection<MessageId> messages);

    /**
     * Searches the messages of the rooms {@code reader} belongs to now, in their current state: those whose
     * text has every word of the query ({@link SearchQuery#matches}), never a deleted one, newest first.
     *
     * @param reader whose rooms to search
     * @param query  the words and the page
     * @return one page of messages found
     */
    SearchPage search(UserId reader, SearchQuery query);

    /**
     * The durable events after a seq, for replay.
     *
     * @param room  the room to replay
     * @param after exclusive lower bound (0 = from the start)
     * @param limit most events to return
     * @return events with seq in {@code (after, after + limit]}, in seq order, as they were appended
     *         (a later edit does not change an earlier {@code message} event: the edit event follows it),
     *         except that a message deleted since is returned without its content: its {@code message}
     *         event as its {@link Message#tombstone() tombstone} (same id, seq, author, author name and sent
     *         time; empty body, no attachment, {@code deleted} true, no edit time), and its
     *         {@code message_edited} events with an empty body
     */
    List<RoomEvent> eventsAfter(RoomId room, long after, int limit);

    /**
     * @param room the room to ask about
     * @return the seq of the latest event, 0 when none
     */
    long lastSeq(RoomId room);
}
