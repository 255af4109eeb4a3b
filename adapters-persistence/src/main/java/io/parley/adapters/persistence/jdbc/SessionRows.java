package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbRow;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Maps {@code resumable_sessions} rows to {@link ResumableSession}s and back. The database builds and
 * takes apart the {@code subscriptions} JSON itself: a record goes in as one array parameter per
 * subscription field, and comes out as one result row per subscription and per excluded room (or a
 * single row when it has neither), so no JSON is written or parsed here.
 */
final class SessionRows {
    /**
     * The {@code subscriptions} value made from five array parameters: room ids, versions, starts, bounds
     * (null when unbounded) and left flags.
     */
    static final String SUBSCRIPTIONS = """
            (SELECT coalesce(jsonb_object_agg(t.room_id, jsonb_strip_nulls(jsonb_build_object(
                        'version', t.version, 'start', t.start_seq, 'until', t.until_seq, 'left', t.left_room))),
                    '{}')
             FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[])
                  AS t (room_id, version, start_seq, until_seq, left_room))
            """;
    /** Sessions with their subscriptions and exclusions as rows; to be followed by a {@code WHERE}. */
    static final String SELECT = selectFrom("resumable_sessions");

    private SessionRows() {
    }

    /**
     * @param sessions a table or a parenthesised sub-select of {@code resumable_sessions} rows
     * @return a select of those sessions, named {@code s}, joined to their subscription and exclusion rows
     */
    static String selectFrom(String sessions) {
        return """
                SELECT s.id, s.user_id, s.inbox, s.live_on, s.seen_until, s.expires_at, s.revision,
                       r.kind, r.room_id, r.version, r.start_seq, r.until_seq, r.left_room
                FROM %s s
                LEFT JOIN LATERAL (
                    SELECT 'subscription' AS kind, j.key AS room_id, (j.value ->> 'version')::bigint AS version,
                           (j.value ->> 'start')::bigint AS start_seq, (j.value ->> 'until')::bigint AS until_seq,
                           (j.value ->> 'left')::boolean AS left_room
                    FROM jsonb_each(s.subscriptions) AS j
                    UNION ALL
                    SELECT 'excluded', x.room_id, NULL, NULL, NULL, NULL FROM unnest(s.excluded) AS x (room_id)
                ) r ON true""".formatted(sessions);
    }

    /**
     * @param session a record
     * @return the same record with its times cut to the microsecond, as PostgreSQL keeps them, so that what
     *         an update returns equals what a later read finds
     */
    static ResumableSession micros(ResumableSession session) {
        return session.withLiveness(session.liveOn(), Rows.micros(session.seenUntil()),
                Rows.micros(session.expiresAt()));
    }

    /** @return parameters of the insert: id, user, inbox, live_on, seen_until, expires_at, excluded, subscriptions */
    static List<Object> insertParameters(ResumableSession session) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(session.id());
        parameters.add(session.user().value());
        parameters.addAll(stateParameters(session));
        return parameters;
    }

    /**
     * @param read the revision the change was made from
     * @return parameters of the update: the state, then id and that revision
     */
    static List<Object> updateParameters(ResumableSession session, long read) {
        List<Object> parameters = new ArrayList<>(stateParameters(session));
        parameters.add(session.id());
        parameters.add(read);
        return parameters;
    }

    /** inbox, live_on, seen_until, expires_at, excluded, then the five subscription arrays. */
    private static List<Object> stateParameters(ResumableSession session) {
        Columns subscriptions = new Columns(5);
        session.subscriptions().forEach((room, s) -> subscriptions.add(room.value(), s.version(), s.start(),
                s.until().isPresent() ? (Object) s.until().getAsLong() : null, s.left()));
        List<Object> parameters = new ArrayList<>();
        parameters.add(session.inbox());
        parameters.add(session.liveOn().orElse(null));
        parameters.add(Rows.text(session.seenUntil()));
        parameters.add(Rows.text(session.expiresAt()));
        parameters.add(session.excluded().stream().map(RoomId::value).sorted().toArray(String[]::new));
        parameters.addAll(subscriptions.arrays());
        return parameters;
    }

    /**
     * @param rows rows of a select made by {@link #selectFrom}, the rows of one session together or not
     * @return the sessions, in the order of their first rows
     */
    static List<ResumableSession> sessions(Stream<DbRow> rows) {
        Map<String, Assembly> sessions = new LinkedHashMap<>();
        rows.forEach(row -> sessions.computeIfAbsent(Rows.string(row, "id"), id -> new Assembly(row)).add(row));
        return sessions.values().stream().map(Assembly::session).toList();
    }

    /** One session being put together from its rows. */
    private static final class Assembly {
        private final DbRow first;
        private final Map<RoomId, Subscription> subscriptions = new HashMap<>();
        private final Set<RoomId> excluded = new HashSet<>();

        Assembly(DbRow first) {
            this.first = first;
        }

        void add(DbRow row) {
            String kind = Rows.optionalString(row, "kind").orElse("");
            switch (kind) {
                case "subscription" -> {
                    Optional<Long> until = Optional.ofNullable((Number) row.column("until_seq").get(Object.class))
                            .map(Number::longValue);
                    subscriptions.put(RoomId.of(Rows.string(row, "room_id")), new Subscription(
                            Rows.number(row, "version"), Rows.number(row, "start_seq"),
                            until.map(OptionalLong::of).orElseGet(OptionalLong::empty),
                            row.column("left_room").get(Boolean.class)));
                }
                case "excluded" -> excluded.add(RoomId.of(Rows.string(row, "room_id")));
                default -> {
                    // The one row of a session with neither subscriptions nor exclusions.
                }
            }
        }

        ResumableSession session() {
            return new ResumableSession(Rows.string(first, "id"), UserId.of(Rows.string(first, "user_id")),
                    first.column("inbox").get(Boolean.class), subscriptions, excluded,
                    Rows.optionalString(first, "live_on"), Rows.instant(first, "seen_until"),
                    Rows.instant(first, "expires_at"), Rows.number(first, "revision"));
        }
    }
}
