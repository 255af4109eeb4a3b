package io.parley.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message in its current state. An edited message carries its new body and {@code editedAt}; a
 * deleted one is a tombstone: same id and seq, empty body, no attachment, {@code deleted} true.
 *
 * @param id            message id
 * @param room          the room it was posted in
 * @param seq           the room seq of the event that posted it
 * @param author        author id
 * @param authorName    author display name at the time of posting
 * @param body          the text (empty for tombstones)
 * @param attachmentUrl an attached file's URL
 * @param sentAt        when it was stored
 * @param editedAt      when it was last edited
 * @param deleted       whether it is a tombstone
 * @param replyTo       the message it answers, in the same room, as that message is now
 * @param mentions      the users it mentions, as its author named them (the body stays plain text)
 * @param reactions     its reactions, in the order they were first given (in history; events carry none)
 */
public record Message(MessageId id,
                      RoomId room,
                      long seq,
                      UserId author,
                      String authorName,
                      String body,
                      Optional<String> attachmentUrl,
                      Instant sentAt,
                      Optional<Instant> editedAt,
                      boolean deleted,
                      Optional<ReplyPreview> replyTo,
                      List<UserId> mentions,
                      List<Reaction> reactions) {
    /** Validates the message. */
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(attachmentUrl, "attachmentUrl");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(editedAt, "editedAt");
        Objects.requireNonNull(replyTo, "replyTo");
        mentions = List.copyOf(mentions);
        reactions = List.copyOf(reactions);
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive");
        }
    }

    /**
     * A message that answers nothing and mentions nobody.
     *
     * @param id            message id
     * @param room          the room it was posted in
     * @param seq           the room seq of the event that posted it
     * @param author        author id
     * @param authorName    author display name at the time of posting
     * @param body          the text (empty for tombstones)
     * @param attachmentUrl an attached file's URL
     * @param sentAt        when it was stored
     * @param editedAt      when it was last edited
     * @param deleted       whether it is a tombstone
     */
    public Message(MessageId id, RoomId room, long seq, UserId author, String authorName, String body,
                   Optional<String> attachmentUrl, Instant sentAt, Optional<Instant> editedAt, boolean deleted) {
        this(id, room, seq, author, authorName, body, attachmentUrl, sentAt, editedAt, deleted, Optional.empty(),
                List.of(), List.of());
    }

    /**
     * A message with a reply and mentions, without reactions.
     *
     * @param id            message id
     * @param room          the room it was posted in
     * @param seq           the room seq of the event that posted it
     * @param author        author id
     * @param authorName    author display name at the time of posting
     * @param body          the text (empty for tombstones)
     * @param attachmentUrl an attached file's URL
     * @param sentAt        when it was stored
     * @param editedAt      when it was last edited
     * @param deleted       whether it is a tombstone
     * @param replyTo       the message it answers
     * @param mentions      the users it mentions
     */
    public Message(MessageId id, RoomId room, long seq, UserId author, String authorName, String body,
                   Optional<String> attachmentUrl, Instant sentAt, Optional<Instant> editedAt, boolean deleted,
                   Optional<ReplyPreview> replyTo, List<UserId> mentions) {
        this(id, room, seq, author, authorName, body, attachmentUrl, sentAt, editedAt, deleted, replyTo, mentions,
                List.of());
    }

    /**
     * @param counted its reactions
     * @return this message with them
     */
    public Message withReactions(List<Reaction> counted) {
        return new Message(id, room, seq, author, authorName, body, attachmentUrl, sentAt, editedAt, deleted,
                replyTo, mentions, counted);
    }

    /**
     * @param preview the parent as it is now
     * @return this message with that preview of its parent
     */
    public Message withReplyTo(ReplyPreview preview) {
        return new Message(id, room, seq, author, authorName, body, attachmentUrl, sentAt, editedAt, deleted,
                Optional.of(preview), mentions, reactions);
    }

    /**
     * @param newBody the new text
     * @param at      when
     * @return this message edited
     */
    public Message edited(String newBody, Instant at) {
        return new Message(id, room, seq, author, authorName, newBody, attachmentUrl, sentAt, Optional.of(at), false,
                replyTo, mentions, reactions);
    }

    /**
     * @return this message as a tombstone: what it answered, whom it mentioned and its reactions go with its
     *         content
     */
    public Message tombstone() {
        return new Message(id, room, seq, author, authorName, "", Optional.empty(), sentAt, editedAt, true);
    }
}
