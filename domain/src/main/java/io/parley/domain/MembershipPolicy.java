package io.parley.domain;

/**
 * Who may change a room's membership: anyone may join an open room or leave any room; only the owner
 * adds or removes others; the owner cannot leave their own room (it would be left without a manager).
 */
public final class MembershipPolicy {
    private MembershipPolicy() {
    }

    /**
     * Checks that {@code actor} may make {@code target} a member.
     *
     * @param room   the room
     * @param actor  who asks
     * @param target who would join
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkAdd(Room room, UserId actor, UserId target) {
        if (room.isOwnedBy(actor)) {
            return;
        }
        if (!actor.equals(target)) {
            throw ParleyException.forbidden("only the room owner adds other members");
        }
        if (room.visibility() != Visibility.OPEN) {
            throw ParleyException.forbidden("room is private: ask its owner to add you");
        }
    }

    /**
     * Checks that {@code actor} may remove {@code target}.
     *
     * @param room   the room
     * @param actor  who asks
     * @param target who would leave
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkRemove(Room room, UserId actor, UserId target) {
        if (room.isOwnedBy(target)) {
            throw ParleyException.forbidden("the owner cannot leave or be removed from their room");
        }
        if (!actor.equals(target) && !room.isOwnedBy(actor)) {
            throw ParleyException.forbidden("only the room owner removes other members");
        }
    }
}
