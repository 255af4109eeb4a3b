package io.parley.application.port.in;

import io.parley.domain.RoomId;

import java.util.Objects;
import java.util.Optional;

/**
 * Post a message.
 *
 * @param room          the room to post in
 * @param body          text
 * @param clientId      the author's idempotency key: a retry with the same key returns the first message
 * @param attachmentUrl an attached file, by URL
 */
public record SendMessage(RoomId room, String body, Optional<String> clientId, Optional<String> attachmentUrl) {
    /** Validates the command. */
    public SendMessage {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(attachmentUrl, "attachmentUrl");
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
