package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.parley.application.port.out.Revocations;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.parley.adapters.persistence.jdbc.JdbcRooms.call;

/** {@link Revocations} on PostgreSQL ({@code revocations}), shared by every node. */
final class JdbcRevocations implements Revocations {
    private static final String REVOKE = """
            INSERT INTO revocations (user_id, revoked_before) VALUES (?, ?::timestamptz)
            ON CONFLICT (user_id) DO UPDATE
                SET revoked_before = greatest(revocations.revoked_before, excluded.revoked_before)
            RETURNING revoked_before""";
    private static final String ALL = "SELECT user_id, revoked_before FROM revocations";

    private final DbClient db;

    JdbcRevocations(DbClient db) {
        this.db = db;
    }

    @Override
    public Instant revoke(UserId user, Instant before) {
        return call("revoking a user's tokens", () -> db.execute().createGet(REVOKE)
                .params(user.value(), Rows.text(Rows.micros(before))).execute()
                .map(row -> Rows.instant(row, "revoked_before"))
                .orElseThrow(() -> new IllegalStateException("the upsert returns its row")));
    }

    @Override
    public Map<UserId, Instant> all() {
        return call("reading revocations", () -> {
            Map<UserId, Instant> all = new HashMap<>();
            db.execute().createQuery(ALL).execute()
                    .forEach(row -> all.put(UserId.of(Rows.string(row, "user_id")), Rows.instant(row, "revoked_before")));
            return Map.copyOf(all);
        });
    }
}
