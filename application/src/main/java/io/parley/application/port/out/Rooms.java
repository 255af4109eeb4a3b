package io.parley.application.port.out;

import io.parley.domain.DirectoryQuery;
import io.parley.domain.Member;
import io.parley.domain.Role;
import io.parley.domain.Room;
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
 * Rooms and their memberships.
 *
 * <p>Contract:
 * <ul>
 *     <li>{@link #create} stores the room (a direct conversation with its pair) and makes each initial member
 *     a member (the room's owner with {@link Role#OWNER}, the others, and both people of a direct
 *     conversation, with {@link Role#MEMBER}) by appending one
 *     {@code member_joined} event per member (seqs 1..n, in the given order), atomically: either the room
 *     exists with all of them or not at all. Creating an id that exists fails with
 *     {@link io.parley.domain.ErrorCode#CONFLICT}.</li>
 *     <li>Membership reads reflect every {@link RoomLog#append append} that returned before them
 *     (read-your-writes), on this node and on any other node sharing the store.</li>
 *     <li>{@link #summariesOf} computes unread counts as: messages by other users, not deleted, with seq
 *     above the member's read marker.</li>
 *     <li>A store that cannot be reached fails with {@link io.parley.domain.ErrorCode#UNAVAILABLE}
 *     within its configured timeout; it never hangs the caller.</li>
 * </ul>
 */
public interface Rooms {
    /**
     * Creates a room with its initial members.
     *
     * @param room    the room
     * @param members initial members, owner first, without duplicates
     * @return the {@code member_joined} events appended, in seq order
     */
    List<RoomEvent.MemberJoined> create(Room room, List<UserId> members);

    /**
     * @param id room id
     * @return the room, if it exists (a deleted room does not)
     */
    Optional<Room> find(RoomId id);

    /**
     * Deletes a room, atomically: appends its last event, {@code room_deleted}, and deletes its messages, its
     * other events, members, bans, read markers, mentions and reactions. From then on {@link #find} does not
     * find it, appends to it fail with {@link io.parley.domain.ErrorCode#NOT_FOUND}, creating a room with its
     * id fails with {@link io.parley.domain.ErrorCode#CONFLICT}, and {@link RoomLog#eventsAfter} returns only
     * that last event (to the event listeners that have not seen it yet).
     *
     * @param room a room, not a direct conversation
     * @param by   who deletes it
     * @param at   time
     * @return the {@code room_deleted} event, empty when there is no such room (any more) or it is a direct
     *         conversation
     */
    Optional<RoomEvent.RoomDeleted> delete(RoomId room, UserId by, java.time.Instant at);

    /**
     * @param room room id
     * @param user user id
     * @return whether the user is a member now
     */
    boolean isMember(RoomId room, UserId user);

    /**
     * @param room room id
     * @param user user id
     * @return the user's role, empty when not a member: {@link Role#OWNER} for the room's owner,
     *         {@link Role#ADMIN} or {@link Role#MEMBER} as the last {@code role_changed} left it (a new member
     *         is a member)
     */
    Optional<Role> roleOf(RoomId room, UserId user);

    /**
     * @param room room id
     * @return its members with their roles, in joining order
     */
    List<Member> membersWithRoles(RoomId room);

    /**
     * @param room room id
     * @param user user id
     * @return whether the user is banned from the room
     */
    boolean isBanned(RoomId room, UserId user);

    /**
     * @param room room id
     * @return the users banned from it, in the order they were banned
     */
    List<UserId> banned(RoomId room);

    /**
     * Remembers a user's display name as their token gives it, so that the other person of a direct
     * conversation can be listed by name. The latest name wins.
     *
     * @param user the user and their display name
     */
    void rememberName(User user);

    /**
     * @param users user ids
     * @return the display names remembered for those of them that have one
     */
    Map<UserId, String> namesOf(Collection<UserId> users);

    /**
     * @param room room id
     * @return its members, in joining order
     */
    List<UserId> members(RoomId room);

    /**
     * @param user user id
     * @return the ids of the rooms the user is a member of
     */
    List<RoomId> roomsOf(UserId user);

    /**
     * @param user user id
     * @return the last seq of each room the user is a member of
     */
    Map<RoomId, Long> lastSeqsOf(UserId user);

    /**
     * One page of the directory of open rooms: the order and filter {@link DirectoryQuery} describes.
     *
     * @param query the text to look for and the page
     * @return the rooms with their last seq and member count, and where the next page starts
     */
    DirectoryQuery.Page directory(DirectoryQuery query);

    /**
     * One page of the user's room list.
     *
     * @param user  user id
     * @param query where the page starts and how long it is
     * @return the rooms with last seq, read marker and unread count, in the order {@link RoomListQuery}
     *         describes, and where the next page starts
     */
    RoomListPage summariesOf(UserId user, RoomListQuery query);
}
