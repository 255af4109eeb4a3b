package io.parley.application.port.in;

import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.MessageId;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Optional;

/**
 * Messages, read receipts, history and typing. The caller must be a member of the room
 * ({@code forbidden} otherwise; {@code not_found} for a missing room). Every stored event is published to
 * the room's subscribers on every node before the method returns.
 */
public interface Converse {
    /**
     * Posts a message.
     *
     * @param actor   author
     * @param command the message
     * @return the stored message
     */
    SendResult send(User actor, SendMessage command);

    /**
     * Posts a message as {@link io.parley.domain.UserId#SYSTEM the system author}: the product's own notice in a
     * room ("Ticket #42 was closed"), not a member's. No membership is needed and the send hooks are not asked
     * (the backend wrote it); the room's other rules apply (it must exist and not be archived), as do the size
     * limits. Idempotent by {@code clientId}, as {@link #send} is (the key is the system's, across rooms).
     *
     * @param room     where
     * @param body     the text
     * @param name     the author name shown (e.g. "Support desk")
     * @param clientId idempotency key
     * @param mentions users it mentions
     * @return the stored message, and whether it was stored by an earlier call with the same {@code clientId}
     */
    SendResult announce(RoomId room, String body, String name, Optional<String> clientId, List<UserId> mentions);

    /**
     * Replaces the body of one of the caller's messages.
     *
     * @param actor     author
     * @param room      the room of the message
     * @param messageId message
     * @param body      new text
     * @return the {@code message_edited} event
     */
    RoomEvent edit(User actor, RoomId room, MessageId messageId, String body);

    /**
     * Deletes a message (author, room owner or admin), leaving a tombstone at the same seq.
     *
     * @param actor     author or owner
     * @param room      the room of the message
     * @param messageId message
     * @return the {@code message_deleted} event
     */
    RoomEvent delete(User actor, RoomId room, MessageId messageId);

    /**
     * Reacts to a message: one reaction per user, emoji and message.
     *
     * @param actor     a member
     * @param room      the room of the message
     * @param messageId the message
     * @param emoji     the reaction
     * @return the {@code reaction_added} event, empty when the user had reacted so already
     */
    Optional<RoomEvent> react(User actor, RoomId room, MessageId messageId, String emoji);

    /**
     * Takes a reaction back.
     *
     * @param actor     a member
     * @param room      the room of the message
     * @param messageId the message
     * @param emoji     the reaction
     * @return the {@code reaction_removed} event, empty when the user had not reacted so
     */
    Optional<RoomEvent> unreact(User actor, RoomId room, MessageId messageId, String emoji);

    /**
     * Read receipt: everything up to {@code upTo} is read. Markers only move forward; a seq beyond the
     * room's last seq counts as the last seq.
     *
     * @param actor reader
     * @param room  the room whose events were read
     * @param upTo  highest seq read
     * @return the {@code read} event, empty when the marker did not move
     */
    Optional<RoomEvent> markRead(User actor, RoomId room, long upTo);

    /**
     * @param actor member
     * @param room  the room whose history to read
     * @param query which page
     * @return messages in their current state
     */
    HistoryPage history(User actor, RoomId room, HistoryQuery query);

    /**
     * Searches the messages of every room the actor belongs to (see {@code RoomLog.search}).
     *
     * @param actor who searches
     * @param query the words and the page
     * @return one page of messages found, newest first
     */
    SearchPage search(User actor, SearchQuery query);

    /**
     * Starts (or renews) or stops a typing indicator. It stops by itself
     * {@link io.parley.domain.Typing#EXPIRY} after the last renewal.
     *
     * @param actor  who types
     * @param room   the room the caller types in
     * @param active typing or not
     */
    void typing(User actor, RoomId room, boolean active);
}
