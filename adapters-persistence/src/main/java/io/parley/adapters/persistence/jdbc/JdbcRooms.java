package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.parley.application.port.out.Rooms;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.Member;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@link Rooms} on PostgreSQL. Membership is read from the database on every call, never cached: a cache
 * would need invalidation from every node that shares the database, and the primary-key lookup is cheap.
 */
final class JdbcRooms implements Rooms {
    /** The room, its members and their join events, in one statement: all or nothing. */
    private static final String CREATE = """
            WITH room AS (
                INSERT INTO rooms (room_id, name, visibility, owner_id, created_at, topic, avatar_url, metadata, archived,
                                   direct_first, direct_second, last_seq, last_event_at)
                VALUES (?, ?, ?, ?, ?::timestamptz, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::timestamptz)
                ON CONFLICT (room_id) DO NOTHING
                RETURNING room_id, owner_id, direct_first
            ), members AS (
                SELECT room.room_id, room.owner_id, room.direct_first, m.user_id, m.seq
                FROM room, unnest(?::varchar[]) WITH ORDINALITY AS m (user_id, seq)
            ), memberships AS (
                INSERT INTO memberships (room_id, user_id, joined_seq, joined_at, role)
                SELECT room_id, user_id, seq, ?::timestamptz,
                       CASE WHEN user_id = owner_id AND direct_first IS NULL THEN 'owner' ELSE 'member' END
                FROM members
            ), joins AS (
                INSERT INTO events (room_id, seq, kind, at, user_id)
                SELECT room_id, seq, 'join', ?::timestamptz, user_id FROM members
            )
            SELECT count(*) AS created FROM room""";
    private static final String FIND = "SELECT " + Rows.ROOM_COLUMNS
            + " FROM rooms WHERE room_id = ? AND deleted_at IS NULL";
    /**
     * A room's deletion in one statement: its counter row, locked as appends lock it, takes the seq of the
     * {@code gone} event, which replaces the room's log; everything else the room held is deleted.
     */
    private static final String DELETE = """
            WITH room AS MATERIALIZED (
                SELECT room_id, last_seq + 1 AS seq FROM rooms
                WHERE room_id = ? AND deleted_at IS NULL AND direct_first IS NULL FOR UPDATE
            ), events_gone AS (
                DELETE FROM events e USING room WHERE e.room_id = room.room_id
            ), messages_gone AS (
                DELETE FROM messages m USING room WHERE m.room_id = room.room_id
            ), mentions_gone AS (
                DELETE FROM mentions n USING room WHERE n.room_id = room.room_id
            ), reactions_gone AS (
                DELETE FROM reactions r USING room WHERE r.room_id = room.room_id
            ), members_gone AS (
                DELETE FROM memberships m USING room WHERE m.room_id = room.room_id
            ), bans_gone AS (
                DELETE FROM bans b USING room WHERE b.room_id = room.room_id
            ), markers_gone AS (
                DELETE FROM read_markers k USING room WHERE k.room_id = room.room_id
            ), last_event AS (
                INSERT INTO events (room_id, seq, kind, at, user_id)
                SELECT room_id, seq, 'gone', ?::timestamptz, ? FROM room
            )
            UPDATE rooms r SET last_seq = room.seq, last_event_at = ?::timestamptz, deleted_at = ?::timestamptz
            FROM room WHERE r.room_id = room.room_id
            RETURNING room.seq""";
    private static final String IS_MEMBER = "SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?";
    private static final String MEMBERS = "SELECT user_id FROM memberships WHERE room_id = ? ORDER BY joined_seq";
    private static final String REMEMBER_NAME = """
            INSERT INTO users (user_id, display_name) VALUES (?, ?)
            ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, updated_at = now()
            WHERE users.display_name <> excluded.display_name""";
    private static final String NAMES = "SELECT user_id, display_name FROM users WHERE user_id = ANY(?::varchar[])";
    private static final String ROLE = "SELECT role FROM memberships WHERE room_id = ? AND user_id = ?";
    private static final String MEMBERS_WITH_ROLES =
            "SELECT user_id, role FROM memberships WHERE room_id = ? ORDER BY joined_seq";
    private static final String IS_BANNED = "SELECT 1 FROM bans WHERE room_id = ? AND user_id = ?";
    private static final String BANNED = "SELECT user_id FROM bans WHERE room_id = ? ORDER BY banned_at, user_id";
    private static final String ROOMS_OF =
            "SELECT room_id FROM memberships WHERE user_id = ? ORDER BY joined_at, room_id";
    private static final String LAST_SEQS = """
            SELECT r.room_id, r.last_seq FROM memberships m JOIN rooms r ON r.room_id = m.room_id
            WHERE m.user_id = ?""";
    /**
     * One page of a user's room list, unread counts included, in one query: the page is cut first (by
     * activity, then id, after the previous page's last room), so rooms are counted only when listed, and
     * each count stops at {@link RoomSummary#UNREAD_CAP}: the {@code ORDER BY seq} makes it a range scan of
     * the primary key that ends there. The reader is bound as a value (the first parameter) rather than
     * compared with the membership row, so the planner estimates "by someone else" from the column's
     * statistics: compared with an unknown value in a room where one author wrote nearly everything (a
     * bot's announcements), it expected no row to match and chose a bitmap scan of every index entry above
     * the marker.
     */
    private static final String SUMMARIES = """
            SELECT p.room_id, p.name, p.visibility, p.owner_id, p.created_at, p.topic, p.avatar_url,
                   p.metadata::text AS metadata, p.archived, p.direct_first, p.direct_second, p.last_seq,
                   p.last_event_at,
                   coalesce(k.up_to, 0) AS read_up_to,
                   (SELECT count(*) FROM (SELECT 1 FROM messages x
                                          WHERE x.room_id = p.room_id AND x.seq > coalesce(k.up_to, 0)
                                            AND NOT x.deleted AND x.author_id <> ?
                                          ORDER BY x.seq LIMIT %2$d) u) AS unread,
                   (SELECT count(*) FROM (SELECT 1 FROM mentions n
                                          WHERE n.room_id = p.room_id AND n.user_id = p.user_id
                                            AND n.seq > coalesce(k.up_to, 0)
                                          ORDER BY n.seq LIMIT %2$d) q) AS mentioned
            FROM (SELECT r.room_id, r.name, r.visibility, r.owner_id, r.created_at, r.topic, r.avatar_url, r.metadata,
                         r.archived, r.direct_first, r.direct_second, r.last_seq, r.last_event_at, m.user_id
                  FROM memberships m
                  JOIN rooms r ON r.room_id = m.room_id
                  WHERE m.user_id = ? %1$s
                  ORDER BY r.last_event_at DESC, r.room_id
                  LIMIT ?) p
            LEFT JOIN read_markers k ON k.room_id = p.room_id AND k.user_id = p.user_id
            ORDER BY p.last_event_at DESC, p.room_id""";
    /**
     * A page of the directory of open rooms, by lower-cased name then id, both compared byte by byte
     * ({@code COLLATE "C"}: the order of code points, the in-memory store's, whatever the database's
     * collation), on the partial index {@code rooms_directory_idx} (V12); the member count per listed room is
     * a scan of the memberships key.
     */
    private static final String DIRECTORY = """
            SELECT %1$s, last_seq, (SELECT count(*) FROM memberships m WHERE m.room_id = r.room_id) AS members
            FROM rooms r
            WHERE visibility = 'open' AND NOT archived AND direct_first IS NULL AND deleted_at IS NULL
              AND strpos(lower(name), ?) > 0 %2$s
            ORDER BY lower(name) COLLATE "C", room_id COLLATE "C" LIMIT ?""";
    private static final String DIRECTORY_FIRST = DIRECTORY.formatted(Rows.ROOM_COLUMNS, "");
    private static final String DIRECTORY_NEXT = DIRECTORY.formatted(Rows.ROOM_COLUMNS,
            "AND (lower(name) COLLATE \"C\", room_id COLLATE \"C\") > (?, ?)");
    private static final String FIRST_PAGE = SUMMARIES.formatted("", RoomSummary.UNREAD_CAP);
    private static final String NEXT_PAGE = SUMMARIES.formatted("""
            AND (r.last_event_at < ?::timestamptz
                     OR r.last_event_at = ?::timestamptz AND r.room_id > ?)""", RoomSummary.UNREAD_CAP);

    private final DbClient db;

    JdbcRooms(DbClient db) {
        this.db = db;
    }

    @Override
    public List<RoomEvent.MemberJoined> create(Room room, List<UserId> members) {
        if (new HashSet<>(members).size() != members.size()) {
            throw ParleyException.invalid("initial members must not repeat");
        }
        Instant at = Rows.micros(room.createdAt());
        Room stored = new Room(room.id(), room.owner(), at, room.settings(), room.direct());
        String[] memberIds = members.stream().map(UserId::value).toArray(String[]::new);
        long created = call("creating the room", () -> db.execute().createQuery(CREATE)
                .params(Arrays.asList(stored.id().value(), stored.name(), stored.visibility().wireName(),
                        stored.owner().value(), Rows.text(at), stored.settings().topic().orElse(null),
                        stored.settings().avatarUrl().orElse(null), Rows.metadataJson(stored.settings().metadata()),
                        stored.archived(), stored.direct().map(p -> p.first().value()).orElse(null),
                        stored.direct().map(p -> p.second().value()).orElse(null), (long) members.size(),
                        Rows.text(at), memberIds, Rows.text(at),
                        Rows.text(at)))
                .execute().map(row -> Rows.number(row, "created")).findFirst().orElse(0L));
        if (created == 0) {
            throw new ParleyException(ErrorCode.CONFLICT, "room " + room.id() + " exists already");
        }
        return IntStream.range(0, members.size())
                .mapToObj(i -> new RoomEvent.MemberJoined(stored.id(), i + 1, members.get(i), at))
                .toList();
    }

    @Override
    public Optional<Room> find(RoomId id) {
        return call("reading the room", () -> db.execute().get(FIND, id.value()).map(Rows::room));
    }

    @Override
    public Optional<RoomEvent.RoomDeleted> delete(RoomId room, UserId by, Instant at) {
        Instant stored = Rows.micros(at);
        return call("deleting the room", () -> db.execute().createQuery(DELETE)
                .params(room.value(), Rows.text(stored), by.value(), Rows.text(stored), Rows.text(stored))
                .execute().map(row -> new RoomEvent.RoomDeleted(room, Rows.number(row, "seq"), by, stored))
                .findFirst());
    }

    @Override
    public boolean isMember(RoomId room, UserId user) {
        return call("checking the membership", () -> db.execute().get(IS_MEMBER, room.value(), user.value())
                .isPresent());
    }

    @Override
    public void rememberName(User user) {
        call("storing the display name", () -> db.execute().dml(REMEMBER_NAME, user.id().value(), user.displayName()));
    }

    @Override
    public Map<UserId, String> namesOf(Collection<UserId> users) {
        if (users.isEmpty()) {
            return Map.of();
        }
        String[] ids = users.stream().map(UserId::value).toArray(String[]::new);
        return call("reading display names", () -> db.execute().createQuery(NAMES).params(List.of((Object) ids))
                .execute().collect(Collectors.toMap(row -> UserId.of(Rows.string(row, "user_id")),
                        row -> Rows.string(row, "display_name"))));
    }

    @Override
    public Optional<Role> roleOf(RoomId room, UserId user) {
        return call("reading the role", () -> db.execute().get(ROLE, room.value(), user.value())
                .map(row -> Role.fromWire(Rows.string(row, "role"))));
    }

    @Override
    public List<Member> membersWithRoles(RoomId room) {
        return call("listing the members", () -> db.execute().query(MEMBERS_WITH_ROLES, room.value())
                .map(row -> new Member(UserId.of(Rows.string(row, "user_id")), Role.fromWire(Rows.string(row, "role"))))
                .toList());
    }

    @Override
    public boolean isBanned(RoomId room, UserId user) {
        return call("checking the bans", () -> db.execute().get(IS_BANNED, room.value(), user.value()).isPresent());
    }

    @Override
    public List<UserId> banned(RoomId room) {
        return call("listing the bans", () -> db.execute().query(BANNED, room.value())
                .map(row -> UserId.of(Rows.string(row, "user_id"))).toList());
    }

    @Override
    public List<UserId> members(RoomId room) {
        return call("listing the members", () -> db.execute().query(MEMBERS, room.value())
                .map(row -> UserId.of(Rows.string(row, "user_id"))).toList());
    }

    @Override
    public List<RoomId> roomsOf(UserId user) {
        return call("listing the rooms", () -> db.execute().query(ROOMS_OF, user.value())
                .map(row -> RoomId.of(Rows.string(row, "room_id"))).toList());
    }

    @Override
    public Map<RoomId, Long> lastSeqsOf(UserId user) {
        return call("listing the rooms", () -> db.execute().query(LAST_SEQS, user.value())
                .collect(Collectors.toMap(row -> RoomId.of(Rows.string(row, "room_id")),
                        row -> Rows.number(row, "last_seq"))));
    }

    @Override
    public DirectoryQuery.Page directory(DirectoryQuery query) {
        long rows = query.limit() + 1L;
        List<Object> params = query.after()
                .map(p -> List.<Object>of(query.text(), p.sortName(), p.room().value(), rows))
                .orElse(List.of(query.text(), rows));
        List<DirectoryQuery.Entry> found = call("listing the open rooms", () -> db.execute()
                .createQuery(query.after().isPresent() ? DIRECTORY_NEXT : DIRECTORY_FIRST).params(params).execute()
                .map(row -> new DirectoryQuery.Entry(Rows.room(row), Rows.number(row, "last_seq"),
                        (int) Rows.number(row, "members")))
                .toList());
        return DirectoryQuery.Page.of(found, query.limit());
    }

    @Override
    public RoomListPage summariesOf(UserId user, RoomListQuery query) {
        long rows = query.limit() + 1L;
        List<Object> params = query.after()
                .map(p -> List.<Object>of(user.value(), user.value(), Rows.text(p.lastEventAt()),
                        Rows.text(p.lastEventAt()), p.room().value(), rows))
                .orElse(List.of(user.value(), user.value(), rows));
        List<RoomSummary> page = call("listing the rooms", () -> db.execute()
                .createQuery(query.after().isPresent() ? NEXT_PAGE : FIRST_PAGE).params(params).execute()
                .map(row -> new RoomSummary(Rows.room(row), Rows.number(row, "last_seq"),
                        Rows.instant(row, "last_event_at"), Rows.number(row, "read_up_to"),
                        Rows.number(row, "unread"), Rows.number(row, "mentioned")))
                .toList());
        return RoomListPage.of(page, query.limit());
    }

    /**
     * Runs a database call, turning its failures into refusals.
     *
     * @param what what the call does, for messages
     * @param call the statements to run on one connection
     * @param <T>  its result
     * @return its result
     */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw Failures.translate(e, what);
        }
    }
}
