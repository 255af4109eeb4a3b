package io.parley.domain;

import java.time.Instant;
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
                      boolean deleted) {
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
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive");
        }
    }

    /**
     * @param newBody the new text
     * @param at      when
     * @return this message edited
     */
    public Message edited(String newBody, Instant at) {
        return new Message(id, room, seq, author, authorName, newBody, attachmentUrl, sentAt, Optional.of(at), false);
    }

    /** @return this message as a tombstone */
    public Message tombstone() {
        return new Message(id, room, seq, author, authorName, "", Optional.empty(), sentAt, editedAt, true);
    }
}
