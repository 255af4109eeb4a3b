package io.parley.domain;

/**
 * Who may change a message: only its author edits it; its author, the room owner or an admin deletes it;
 * a tombstone cannot be changed.
 */
public final class MessagePolicy {
    private MessagePolicy() {
    }

    /**
     * @param message the message to edit, as stored
     * @param actor   who asks
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} or {@link ErrorCode#NOT_FOUND} (deleted)
     */
    public static void checkEdit(Message message, UserId actor) {
        if (message.deleted()) {
            throw ParleyException.notFound("message was deleted");
        }
        if (!message.author().equals(actor)) {
            throw ParleyException.forbidden("only the author edits a message");
        }
    }

    /**
     * @param message   the message
     * @param room      its room (in a direct conversation, each deletes only their own messages)
     * @param actorRole the actor's role in its room
     * @param actor     who asks
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} or {@link ErrorCode#NOT_FOUND} (deleted)
     */
    public static void checkDelete(Message message, Room room, Role actorRole, UserId actor) {
        if (message.deleted()) {
            throw ParleyException.notFound("message was deleted");
        }
        if (!message.author().equals(actor) && (room.isDirect() || !actorRole.moderates())) {
            throw ParleyException.forbidden("only the author, the room owner or an admin deletes a message");
        }
    }
}
