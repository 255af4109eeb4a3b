package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.parley.application.port.out.FeedCursors;
import io.parley.domain.RoomId;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static io.parley.adapters.persistence.jdbc.JdbcRooms.call;

/**
 * {@link FeedCursors} on PostgreSQL ({@code feeds}, {@code feed_cursors}), shared by every node. A claim is one
 * upsert whose conflict branch takes the row only when it is free, expired or the claimant's; of concurrent
 * claims the row lock lets one win. Finding rooms left behind compares every room's {@code last_seq} with the
 * feed's cursor: a scan of {@code rooms}, run every few seconds per node (fine to about 10⁵ rooms).
 */
final class JdbcFeedCursors implements FeedCursors {
    private static final String REGISTER = """
            WITH registered AS (
                INSERT INTO feeds (name, registered_at) VALUES (?, now()) ON CONFLICT (name) DO NOTHING RETURNING name)
            INSERT INTO feed_cursors (feed, room_id, seq)
            SELECT registered.name, rooms.room_id, rooms.last_seq FROM registered CROSS JOIN rooms
            ON CONFLICT (feed, room_id) DO NOTHING""";
    private static final String IS_REGISTERED = "SELECT count(*) AS n FROM feeds WHERE name = ?";
    private static final String CLAIM = """
            INSERT INTO feed_cursors (feed, room_id, seq, holder, held_until) VALUES (?, ?, 0, ?, ?::timestamptz)
            ON CONFLICT (feed, room_id) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until
            WHERE feed_cursors.holder IS NULL OR feed_cursors.holder = excluded.holder
               OR feed_cursors.held_until < ?::timestamptz
            RETURNING seq""";
    private static final String ADVANCE = """
            UPDATE feed_cursors SET seq = ?, held_until = ?::timestamptz
            WHERE feed = ? AND room_id = ? AND holder = ? AND seq <= ?""";
    private static final String RELEASE = """
            UPDATE feed_cursors SET holder = NULL, held_until = NULL WHERE feed = ? AND room_id = ? AND holder = ?""";
    private static final String BEHIND = """
            SELECT r.room_id FROM rooms r
            LEFT JOIN feed_cursors c ON c.feed = ? AND c.room_id = r.room_id
            WHERE r.last_seq > coalesce(c.seq, 0)
            LIMIT ?""";

    private final DbClient db;

    JdbcFeedCursors(DbClient db) {
        this.db = db;
    }

    @Override
    public boolean register(String feed) {
        return call("registering a feed", () -> {
            boolean known = db.execute().createGet(IS_REGISTERED).params(feed).execute()
                    .map(row -> Rows.number(row, "n") > 0).orElse(false);
            if (known) {
                return false;
            }
            db.execute().createInsert(REGISTER).params(feed).execute();
            return true;
        });
    }

    @Override
    public OptionalLong claim(String feed, RoomId room, String holder, Instant now, Instant until) {
        return call("claiming a room for a feed", () -> db.execute().createGet(CLAIM)
                .params(feed, room.value(), holder, Rows.text(until), Rows.text(now)).execute()
                .map(row -> OptionalLong.of(Rows.number(row, "seq"))).orElse(OptionalLong.empty()));
    }

    @Override
    public boolean advance(String feed, RoomId room, String holder, long seq, Instant until) {
        return call("moving a feed's cursor", () -> db.execute().createUpdate(ADVANCE)
                .params(seq, Rows.text(until), feed, room.value(), holder, seq).execute() == 1);
    }

    @Override
    public void release(String feed, RoomId room, String holder) {
        call("releasing a feed's room", () -> db.execute().createUpdate(RELEASE)
                .params(feed, room.value(), holder).execute());
    }

    @Override
    public List<RoomId> behind(String feed, int limit) {
        return call("finding rooms a feed has not taken", () -> db.execute().createQuery(BEHIND)
                .params(feed, limit).execute().map(row -> RoomId.of(Rows.string(row, "room_id"))).toList());
    }
}
