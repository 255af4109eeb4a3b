package io.parley.application.port.in;

import io.parley.domain.DirectoryQuery;
import io.parley.domain.Member;
import io.parley.domain.Presence;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomChange;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
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
     * Opens the caller's direct conversation with {@code peer}: the one room of the two, created by whoever
     * opens it first (with both as members), found by the other and by every later call, on any node, even
     * when both open it at the same moment.
     *
     * @param actor the caller
     * @param peer  the other person
     * @return the conversation, and whether this call created it
     */
    DirectOpened openDirect(User actor, UserId peer);

    /**
     * @param actor the caller
     * @param rooms rooms of the caller (a page of the room list, say)
     * @return for each direct conversation among them, the other person: display name (their id when none is
     *         known) and presence
     */
    Map<RoomId, Peer> peersIn(User actor, List<Room> rooms);

    /**
     * @param actor the caller
     * @param room  room id
     * @return the room, when the caller is a member ({@code forbidden} otherwise)
     */
    Room room(User actor, RoomId room);

    /**
     * A room a session may subscribe to: the caller is a member and the product's {@code before subscribe}
     * hook allows it.
     *
     * @param actor caller
     * @param room  room id
     * @return the room
     * @throws io.parley.domain.ParleyException {@code forbidden} / {@code not_found} when not a member, or
     *         {@code forbidden} when the hook denies it
     */
    Room subscribable(User actor, RoomId room);

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
     * @param actor the caller
     * @param query what to look for, and which page
     * @return a page of the open rooms anyone may join (by name), whether or not the caller is in them
     */
    DirectoryQuery.Page directory(User actor, DirectoryQuery query);

    /**
     * Makes {@code user} a member: self-join of an open room (unless banned), or the owner or an admin adding
     * anyone not banned.
     *
     * @param actor the caller
     * @param room  the room to add the member to
     * @param user  the new member
     * @return the {@code member_joined} event, empty when they were a member already
     */
    Optional<RoomEvent> addMember(User actor, RoomId room, UserId user);

    /**
     * Ends {@code user}'s membership: anyone but the owner may remove themselves; the owner removes anyone
     * else, an admin removes members.
     *
     * @param actor the caller
     * @param room  the room to remove the member from
     * @param user  the member to remove
     * @return the {@code member_left} event, empty when they were not a member
     */
    Optional<RoomEvent> removeMember(User actor, RoomId room, UserId user);

    /**
     * Changes some of a room's settings: its owner or an admin, and an archived room only by unarchiving it.
     * Concurrent changes are applied one after the other, each to what the one before left.
     *
     * @param actor  the caller
     * @param room   the room
     * @param change what to change; what it leaves out stays
     * @return the {@code room_updated} event, empty when the change left every setting as it was
     */
    Optional<RoomEvent> update(User actor, RoomId room, RoomChange change);

    /**
     * Deletes a room: its owner only, and not a direct conversation. Every session following it receives the
     * {@code room_deleted} event and stops following it; its messages, members, bans and read markers are
     * deleted; the room is {@code not_found} from then on, and its id is not given out again.
     *
     * @param actor the caller, the owner
     * @param room  the room
     * @return the {@code room_deleted} event, the room's last
     */
    RoomEvent delete(User actor, RoomId room);

    /**
     * Makes a member an admin or a member again: the owner only.
     *
     * @param actor the caller
     * @param room  the room
     * @param user  the member
     * @param role  {@link Role#ADMIN} or {@link Role#MEMBER}
     * @return the {@code role_changed} event, empty when they had that role already
     */
    Optional<RoomEvent> setRole(User actor, RoomId room, UserId user, Role role);

    /**
     * Hands the room to another member: the owner only; the owner becomes an admin (and may then leave).
     *
     * @param actor the caller, the owner
     * @param room  the room
     * @param to    the new owner, a member
     * @return the {@code role_changed} event (role {@code owner}), empty when {@code to} owns it already
     */
    Optional<RoomEvent> handOver(User actor, RoomId room, UserId to);

    /**
     * Bans a user (a member stops being one): the owner or an admin; admins do not ban admins.
     *
     * @param actor the caller
     * @param room  the room
     * @param user  who to ban, a member or not
     * @return the {@code member_banned} event, empty when they were banned already
     */
    Optional<RoomEvent> ban(User actor, RoomId room, UserId user);

    /**
     * Lifts a ban: the owner or an admin.
     *
     * @param actor the caller
     * @param room  the room
     * @param user  who to unban
     * @return the {@code member_unbanned} event, empty when they were not banned
     */
    Optional<RoomEvent> unban(User actor, RoomId room, UserId user);

    /**
     * @param actor the caller, a member
     * @param room  the room
     * @return its members with their roles, in joining order
     */
    List<Member> members(User actor, RoomId room);

    /**
     * @param actor the caller
     * @param users users, the members of a room the caller is in, say
     * @return the display names remembered for those of them that have one (see {@link #peersIn})
     */
    Map<UserId, String> displayNames(User actor, Collection<UserId> users);

    /**
     * @param actor the caller, the owner or an admin
     * @param room  the room
     * @return the users banned from it
     */
    List<UserId> banned(User actor, RoomId room);

    /**
     * @param actor the caller, a member
     * @param room  the room whose members' presence to read
     * @return every member's presence, offline ones included
     */
    List<Presence> presence(User actor, RoomId room);

    /**
     * Creates a room with the id the caller chose, unless it exists: what a backend does when a deal or a
     * ticket is created, safe to repeat (two calls, on any nodes, make one room). Ids starting with {@code dm-}
     * are direct conversations' and are refused.
     *
     * @param owner   the room's owner, its first member
     * @param room    the id
     * @param command name, visibility and the other initial members
     * @return the room, and whether this call created it (an existing room is returned as it is)
     */
    RoomEnsured ensure(User owner, RoomId room, CreateRoom command);

    /**
     * A room as the deployment's own backend sees it, whoever is in it.
     *
     * @param room the id
     * @return the room
     * @throws io.parley.domain.ParleyException {@code not_found} when there is none
     */
    Room existing(RoomId room);

    /**
     * A room made sure of.
     *
     * @param view    the room and its last seq
     * @param created whether this call created it
     */
    record RoomEnsured(RoomView view, boolean created) {
    }

    /**
     * An opened direct conversation.
     *
     * @param view    the room and its last seq
     * @param created whether this call created it
     */
    record DirectOpened(RoomView view, boolean created) {
    }

    /**
     * The other person of a direct conversation.
     *
     * @param displayName their display name as their token last gave it, else their id
     * @param presence    their presence
     */
    record Peer(String displayName, Presence presence) {
    }

    /**
     * A room and its last seq, as creating or reading it returns them.
     *
     * @param room    the room
     * @param lastSeq its last seq
     */
    record RoomView(Room room, long lastSeq) {
    }
}
