package io.parley.domain;

import java.util.Optional;

/**
 * Who may change a room's membership: anyone not banned may join an open room, and anyone may leave; the
 * owner and admins add others (not a banned user: unban first) and remove members; the owner also removes
 * admins; nobody removes the owner, who leaves only after handing the room over. A direct conversation
 * keeps its two people: nobody joins, is added, leaves or is removed.
 */
public final class MembershipPolicy {
    private MembershipPolicy() {
    }

    /**
     * Checks that {@code actor} may make {@code target} a member.
     *
     * @param room         the room
     * @param actorRole    the actor's role, empty when not a member
     * @param actor        who asks
     * @param target       who would join
     * @param targetBanned whether the target is banned from the room
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkAdd(Room room, Optional<Role> actorRole, UserId actor, UserId target,
                                boolean targetBanned) {
        if (room.isDirect()) {
            throw ParleyException.forbidden("a direct conversation is between its two people only");
        }
        if (actor.equals(target)) {
            if (targetBanned) {
                throw ParleyException.forbidden("you are banned from this room");
            }
            if (room.visibility() != Visibility.OPEN && actorRole.isEmpty()) {
                throw ParleyException.forbidden("room is private: ask its owner or an admin to add you");
            }
            return;
        }
        if (actorRole.filter(Role::moderates).isEmpty()) {
            throw ParleyException.forbidden("only the room owner or an admin adds other members");
        }
        if (targetBanned) {
            throw ParleyException.forbidden(target + " is banned from this room: unban them first");
        }
    }

    /**
     * Checks that {@code actor} may remove {@code target}.
     *
     * @param room       the room
     * @param actorRole  the actor's role, empty when not a member
     * @param actor      who asks
     * @param target     who would leave
     * @param targetRole the target's role, empty when not a member
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkRemove(Room room, Optional<Role> actorRole, UserId actor, UserId target,
                                   Optional<Role> targetRole) {
        if (room.isDirect()) {
            throw ParleyException.forbidden("nobody leaves or is removed from a direct conversation");
        }
        if (targetRole.equals(Optional.of(Role.OWNER))) {
            throw ParleyException.forbidden("the owner cannot leave or be removed: hand the room over first");
        }
        if (actor.equals(target)) {
            return;
        }
        Role actorIs = actorRole.orElse(null);
        if (actorIs == Role.OWNER || actorIs == Role.ADMIN && targetRole.orElse(Role.MEMBER) == Role.MEMBER) {
            return;
        }
        throw ParleyException.forbidden(actorIs == Role.ADMIN ? "only the room owner removes an admin"
                : "only the room owner or an admin removes other members");
    }
}
