package io.parley.application.service;

import io.parley.application.port.out.Rooms;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

/**
 * The membership gate in front of every room operation: {@code not_found} for a missing room,
 * {@code forbidden} for a room the caller is not a member of (as protocol v1 specifies).
 */
final class Access {
    private final Rooms rooms;

    Access(Rooms rooms) {
        this.rooms = rooms;
    }

    Room room(RoomId id) {
        return rooms.find(id).orElseThrow(() -> ParleyException.notFound("no such room"));
    }

    Room requireMember(RoomId id, UserId user) {
        Room room = room(id);
        if (!rooms.isMember(id, user)) {
            throw ParleyException.forbidden("not a member of this room");
        }
        return room;
    }

    /** @return the member's role in the room, {@code forbidden} for a user who is not a member */
    Role requireRole(RoomId id, UserId user) {
        return rooms.roleOf(id, user).orElseThrow(() -> ParleyException.forbidden("not a member of this room"));
    }
}
