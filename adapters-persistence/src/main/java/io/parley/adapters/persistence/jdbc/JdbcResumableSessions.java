package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSessions;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static io.parley.adapters.persistence.jdbc.JdbcRooms.call;

/**
 * {@link ResumableSessions} on PostgreSQL, one row per session in {@code resumable_sessions}, so that every
 * node sharing the database sees every session.
 *
 * <p>An update is optimistic: read the row, apply the change, write it back only where the revision read
 * still holds, and on a lost race read again and retry. Records of one session rarely see two writers at
 * once (a stream refreshing itself, a command), so the first attempt nearly always wins. After
 * {@value #OPTIMISTIC_ATTEMPTS} lost races the record is contended, and the update takes the row lock
 * instead ({@code SELECT … FOR UPDATE}, then read, change, write, commit): lock waiters are served in turn
 * and none of them can lose forever, where more optimistic rounds would only redo reads that lose again.
 */
final class JdbcResumableSessions implements ResumableSessions {
    /** Lost races before an update takes the row lock. */
    static final int OPTIMISTIC_ATTEMPTS = 2;

    private static final String INSERT = """
            INSERT INTO resumable_sessions (id, user_id, inbox, live_on, seen_until, expires_at, excluded, revision,
                                            subscriptions)
            VALUES (?, ?, ?, ?::varchar, ?::timestamptz, ?::timestamptz, ?::varchar[], 0,
            """ + SessionRows.SUBSCRIPTIONS + """
            )
            ON CONFLICT (id) DO NOTHING""";
    /** Writes a changed record where the revision it was made from still holds. */
    private static final String UPDATE = """
            UPDATE resumable_sessions
            SET inbox = ?, live_on = ?::varchar, seen_until = ?::timestamptz, expires_at = ?::timestamptz,
                excluded = ?::varchar[], revision = revision + 1, subscriptions =
            """ + SessionRows.SUBSCRIPTIONS + """
            WHERE id = ? AND revision = ?""";
    private static final String FIND = SessionRows.SELECT + " WHERE s.id = ?";
    /**
     * A statement of its own, before the read: a {@code FOR UPDATE} on the read itself would, after waiting
     * for a concurrent update, return the row's new version joined to the subscriptions of the old one (a
     * recheck re-reads only the locked row, not the lateral join's output).
     */
    private static final String LOCK = "SELECT revision FROM resumable_sessions WHERE id = ? FOR UPDATE";
    private static final String SILENT = SessionRows.selectFrom("""
            (SELECT * FROM resumable_sessions
             WHERE live_on IS NOT NULL AND seen_until < ?::timestamptz
             ORDER BY seen_until, id LIMIT ?)""") + " ORDER BY s.seen_until, s.id";
    private static final String OF_USER = SessionRows.selectFrom(
            "(SELECT * FROM resumable_sessions WHERE user_id = ? AND expires_at > ?::timestamptz)")
            + " ORDER BY s.seen_until, s.id";
    private static final String REMOVE_EXPIRED =
            "DELETE FROM resumable_sessions WHERE live_on IS NULL AND expires_at <= ?::timestamptz";

    private final DbClient db;

    JdbcResumableSessions(DbClient db) {
        this.db = db;
    }

    @Override
    public void create(ResumableSession session) {
        ResumableSession stored = SessionRows.micros(Objects.requireNonNull(session, "session")).withRevision(0);
        long inserted = call("creating the session", () -> db.execute().createInsert(INSERT)
                .params(SessionRows.insertParameters(stored)).execute());
        if (inserted == 0) {
            throw new ParleyException(ErrorCode.CONFLICT, "session " + session.id() + " exists");
        }
    }

    @Override
    public Optional<ResumableSession> find(String id) {
        Objects.requireNonNull(id, "id");
        return call("reading the session", () -> read(db.execute(), FIND, id));
    }

    @Override
    public Optional<ResumableSession> update(String id, UnaryOperator<ResumableSession> change) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(change, "change");
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            Optional<ResumableSession> current = find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            ResumableSession next = changed(current.get(), change);
            long written = call("updating the session", () -> db.execute().createUpdate(UPDATE)
                    .params(SessionRows.updateParameters(next, current.get().revision())).execute());
            if (written == 1) {
                return Optional.of(next);
            }
            // Another update (or a removal) came first: start again from what it left.
        }
        return updateLocked(id, change);
    }

    @Override
    public List<ResumableSession> silent(Instant seenBefore, int limit) {
        Objects.requireNonNull(seenBefore, "seenBefore");
        if (limit < 0) {
            throw ParleyException.invalid("limit must not be negative");
        }
        return call("listing silent sessions", () -> SessionRows.sessions(db.execute()
                .query(SILENT, Rows.text(seenBefore), limit)));
    }

    @Override
    public List<ResumableSession> ofUser(UserId user, Instant now) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(now, "now");
        return call("listing the user's sessions", () -> SessionRows.sessions(db.execute()
                .query(OF_USER, user.value(), Rows.text(now))));
    }

    @Override
    public int removeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        // Under READ COMMITTED a row updated meanwhile (made live, used again) is checked again in its new
        // version, and then stays.
        long removed = call("removing expired sessions", () -> db.execute().delete(REMOVE_EXPIRED, Rows.text(now)));
        return Math.toIntExact(removed);
    }

    /** The pessimistic path: one transaction that holds the row lock from read to write. */
    private Optional<ResumableSession> updateLocked(String id, UnaryOperator<ResumableSession> change) {
        DbTransaction tx = call("updating the session", db::transaction);
        try {
            // The read that follows the lock has a snapshot of its own, taken once the lock is held.
            Optional<ResumableSession> current = call("updating the session",
                    () -> tx.get(LOCK, id).isPresent() ? read(tx, FIND, id) : Optional.empty());
            Optional<ResumableSession> next = current.map(c -> changed(c, change));
            if (next.isPresent()) {
                long written = call("updating the session", () -> tx.createUpdate(UPDATE)
                        .params(SessionRows.updateParameters(next.get(), current.get().revision())).execute());
                if (written != 1) {
                    throw new IllegalStateException("a locked session row changed under its lock");
                }
            }
            call("updating the session", () -> {
                tx.commit();
                return null;
            });
            return next;
        } catch (RuntimeException e) {
            rollbackQuietly(tx);
            throw e;
        }
    }

    private static Optional<ResumableSession> read(DbExecute execute, String sql, String id) {
        return SessionRows.sessions(execute.query(sql, id)).stream().findFirst();
    }

    /**
     * @return the change applied to the current record, as it will be stored: times cut to what PostgreSQL
     *         keeps, the next revision
     */
    private static ResumableSession changed(ResumableSession current, UnaryOperator<ResumableSession> change) {
        ResumableSession next = Objects.requireNonNull(change.apply(current), "changed record");
        if (!next.id().equals(current.id()) || !next.user().equals(current.user())) {
            throw new IllegalArgumentException("an update must keep the session's id and user");
        }
        return SessionRows.micros(next).withRevision(current.revision() + 1);
    }

    private static void rollbackQuietly(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            // The connection is gone or the transaction ended: nothing was committed either way.
        }
    }
}
