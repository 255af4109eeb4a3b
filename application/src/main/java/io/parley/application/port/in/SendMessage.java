package io.parley.application.port.in;

import io.parley.domain.MessageId;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Post a message.
 *
 * @param room          the room to post in
 * @param body          text
 * @param clientId      the author's idempotency key: a retry with the same key returns the first message
 * @param attachmentUrl an attached file, by URL
 * @param replyTo       the message it answers, in the same room
 * @param mentions      users it mentions (ids; the body stays plain text)
 */
public record SendMessage(RoomId room, String body, Optional<String> clientId, Optional<String> attachmentUrl,
                          Optional<MessageId> replyTo, List<UserId> mentions) {
    /** Validates the command. */
    public SendMessage {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(attachmentUrl, "attachmentUrl");
        Objects.requireNonNull(replyTo, "replyTo");
        mentions = List.copyOf(mentions);
    }

    /**
     * A message that answers nothing and mentions nobody.
     *
     * @param room          the room to post in
     * @param body          text
     * @param clientId      the author's idempotency key
     * @param attachmentUrl an attached file, by URL
     */
    public SendMessage(RoomId room, String body, Optional<String> clientId, Optional<String> attachmentUrl) {
        this(room, body, clientId, attachmentUrl, Optional.empty(), List.of());
    }

    /**
     * @param room the room to post in
     * @param body text
     * @return a plain message without client id or attachment
     */
    public static SendMessage of(RoomId room, String body) {
        return new SendMessage(room, body, Optional.empty(), Optional.empty());
    }
}
