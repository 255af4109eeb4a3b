package io.parley.domain;

/**
 * Who may change a room's settings, and what an archived room allows: its owner and admins change them; an
 * archived room is read-only (history, presence, read markers and leaving still work; posting, editing,
 * deleting, joining, adding members and typing do not) and its only possible change is to unarchive it,
 * alone or with other settings.
 */
public final class RoomPolicy {
    private RoomPolicy() {
    }

    /**
     * Checks that {@code actor} may give the room the settings {@code after}.
     *
     * @param room      the room as it is
     * @param actorRole the actor's role
     * @param after     the settings the change leaves
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkUpdate(Room room, Role actorRole, RoomSettings after) {
        if (room.isDirect()) {
            throw ParleyException.forbidden("a direct conversation has no settings to change");
        }
        if (!actorRole.moderates()) {
            throw ParleyException.forbidden("only the room owner or an admin changes its settings");
        }
        if (room.archived() && after.archived()) {
            throw ParleyException.forbidden("the room is archived: unarchive it to change its settings");
        }
    }

    /**
     * Checks that the room takes new content or members.
     *
     * @param room the room as it is now
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when it is archived
     */
    public static void checkWritable(Room room) {
        if (room.archived()) {
            throw ParleyException.forbidden("the room is archived: it is read-only until unarchived");
        }
    }

    /**
     * Checks that the actor may delete the room: its owner, and not a direct conversation's.
     *
     * @param room      the room
     * @param actorRole the actor's role in it
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} otherwise
     */
    public static void checkDelete(Room room, Role actorRole) {
        if (room.isDirect()) {
            throw ParleyException.forbidden("a direct conversation is not deleted; its people may leave it");
        }
        if (actorRole != Role.OWNER) {
            throw ParleyException.forbidden("only the room's owner deletes it");
        }
    }
}
