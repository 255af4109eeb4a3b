package io.parley.application.port.in;

import io.parley.domain.Presence;
import io.parley.domain.Room;
import io.parley.domain.RoomChange;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Optional;

/**
 * Rooms and membership. Every method fails with a {@link io.parley.domain.ParleyException}:
 * {@code not_found} for a missing room (and for a private room the caller is not in), {@code forbidden}
 * when the membership rules say no, {@code invalid}/{@code too_large} for bad input.
 */
public interface ManageRooms {
    /**
     * Creates a room owned by the caller.
     *
     * @param actor   the caller
     * @param command what to create
     * @return the room and its last seq (one {@code member_joined} per initial member)
     */
    RoomView create(User actor, CreateRoom command);

    /**
     * @param actor the caller
     * @param room  room id
     * @return the room, when the caller is a member ({@code forbidden} otherwise)
     */
    Room room(User actor, RoomId room);

    /**
     * @param actor the caller
     * @param room  room id
     * @return the room with its settings and last seq, when the caller is a member ({@code forbidden}
     *         otherwise)
     */
    RoomView view(User actor, RoomId room);

    /**
     * @param actor the caller
     * @param query the page: where it starts and how many rooms
     * @return a page of the caller's rooms with last seq, read marker and unread count, most recently active
     *         first
     */
    RoomListPage roomsOf(User actor, RoomListQuery query);

    /**
     * Makes {@code user} a member: self-join of an open room, or the owner adding anyone.
     *
     * @param actor the caller
     * @param room  the room to add the member to
     * @param user  the new member
     * @return the {@code member_joined} event, empty when they were a member already
     */
    Optional<RoomEvent> addMember(User actor, RoomId room, UserId user);

    /**
     * Ends {@code user}'s membership: anyone may remove themselves, the owner may remove others.
     *
     * @param actor the caller
     * @param room  the room to remove the member from
     * @param user  the member to remove
     * @return the {@code member_left} event, empty when they were not a member
     */
    Optional<RoomEvent> removeMember(User actor, RoomId room, UserId user);

    /**
     * Changes some of a room's settings: only its owner may, and an archived room only by unarchiving it.
     * Concurrent changes are applied one after the other, each to what the one before left.
     *
     * @param actor  the caller
     * @param room   the room
     * @param change what to change; what it leaves out stays
     * @return the {@code room_updated} event, empty when the change left every setting as it was
     */
    Optional<RoomEvent> update(User actor, RoomId room, RoomChange change);

    /**
     * @param actor the caller, a member
     * @param room  the room whose members' presence to read
     * @return every member's presence, offline ones included
     */
    List<Presence> presence(User actor, RoomId room);

    /**
     * A room and its last seq, as creating or reading it returns them.
     *
     * @param room    the room
     * @param lastSeq its last seq
     */
    record RoomView(Room room, long lastSeq) {
    }
}
