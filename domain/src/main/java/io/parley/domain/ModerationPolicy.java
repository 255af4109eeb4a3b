package io.parley.domain;

import java.util.Optional;

/**
 * Who may ban, unban, name admins and hand a room over: the owner and admins ban members (not each other,
 * not the owner) and unban anyone; only the owner names or demotes admins and hands the room to another
 * member, becoming an admin. A direct conversation has no moderation at all.
 */
public final class ModerationPolicy {
    private ModerationPolicy() {
    }

    /**
     * Checks that the room is one that is moderated, before any other check of this class.
     *
     * @param room the room as it is now
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} for a direct conversation
     */
    public static void checkModerated(Room room) {
        if (room.isDirect()) {
            throw ParleyException.forbidden("a direct conversation has no roles, bans or owner to hand over");
        }
    }

    /**
     * @param actorRole  the actor's role
     * @param actor      who asks
     * @param target     who would be banned
     * @param targetRole the target's role, empty when not a member (a user may be banned before joining)
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkBan(Role actorRole, UserId actor, UserId target, Optional<Role> targetRole) {
        requireModerator(actorRole, "bans");
        if (actor.equals(target)) {
            throw ParleyException.forbidden("you cannot ban yourself: leave the room instead");
        }
        Role targetIs = targetRole.orElse(Role.MEMBER);
        if (targetIs == Role.OWNER || targetIs == Role.ADMIN && actorRole != Role.OWNER) {
            throw ParleyException.forbidden(targetIs == Role.OWNER ? "the owner cannot be banned"
                    : "only the room owner bans an admin");
        }
    }

    /**
     * @param actorRole the actor's role
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed
     */
    public static void checkUnban(Role actorRole) {
        requireModerator(actorRole, "unbans");
    }

    /**
     * @param actorRole  the actor's role
     * @param targetRole the target's role, empty when not a member
     * @param role       the role to give: admin or member
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed, {@link ErrorCode#INVALID} for
     *                         {@code owner} (that is a hand-over) and {@link ErrorCode#NOT_FOUND} for a
     *                         target who is not a member
     */
    public static void checkSetRole(Role actorRole, Optional<Role> targetRole, Role role) {
        if (role == Role.OWNER) {
            throw ParleyException.invalid("role must be admin or member: a room is handed over with its owner");
        }
        if (actorRole != Role.OWNER) {
            throw ParleyException.forbidden("only the room owner names or demotes admins");
        }
        if (targetRole.isEmpty()) {
            throw ParleyException.notFound("not a member of this room");
        }
        if (targetRole.get() == Role.OWNER) {
            throw ParleyException.forbidden("the owner's role changes only by handing the room over");
        }
    }

    /**
     * @param actorRole  the actor's role
     * @param actor      who asks
     * @param target     the new owner
     * @param targetRole the target's role, empty when not a member
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when not allowed, {@link ErrorCode#NOT_FOUND} for a
     *                         target who is not a member
     */
    public static void checkTransfer(Role actorRole, UserId actor, UserId target, Optional<Role> targetRole) {
        if (actorRole != Role.OWNER) {
            throw ParleyException.forbidden("only the room owner hands the room over");
        }
        if (targetRole.isEmpty()) {
            throw ParleyException.notFound("the new owner must be a member of the room");
        }
    }

    private static void requireModerator(Role actorRole, String what) {
        if (!actorRole.moderates()) {
            throw ParleyException.forbidden("only the room owner or an admin " + what + " members");
        }
    }
}
