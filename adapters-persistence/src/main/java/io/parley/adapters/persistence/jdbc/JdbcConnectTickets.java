package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.parley.adapters.persistence.jdbc.JdbcRooms.call;

/**
 * {@link ConnectTickets} on PostgreSQL ({@code connect_tickets}), so a ticket issued by one node is redeemed on
 * any. Redeeming is one {@code DELETE … RETURNING}: of concurrent redemptions on any nodes, exactly one gets
 * the row. Every {@value #SWEEP_EVERY}th ticket stored also deletes the expired ones.
 */
final class JdbcConnectTickets implements ConnectTickets {
    static final int SWEEP_EVERY = 64;

    private static final String INSERT = """
            INSERT INTO connect_tickets (id, user_id, display_name, token_expires_at, expires_at, token_issued_at)
            VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz)""";
    private static final String TAKE = """
            DELETE FROM connect_tickets WHERE id = ?
            RETURNING user_id, display_name, token_expires_at, expires_at, token_issued_at""";
    private static final String SWEEP = "DELETE FROM connect_tickets WHERE expires_at <= ?::timestamptz";

    private final DbClient db;
    private final AtomicInteger stored = new AtomicInteger();

    JdbcConnectTickets(DbClient db) {
        this.db = db;
    }

    @Override
    public void store(String id, TokenVerifier.VerifiedToken token, Instant now, Instant expiresAt) {
        Objects.requireNonNull(id, "id");
        Instant tokenExpiry = token.expiresAt().equals(Instant.MAX) ? null : token.expiresAt();
        Instant tokenIssued = token.issuedAt().equals(Instant.MIN) ? null : token.issuedAt();
        call("storing a connect ticket", () -> db.execute().createInsert(INSERT)
                .params(id, token.user().id().value(), token.user().displayName(), Rows.text(tokenExpiry),
                        Rows.text(expiresAt), Rows.text(tokenIssued))
                .execute());
        if (stored.incrementAndGet() % SWEEP_EVERY == 0) {
            call("sweeping connect tickets", () -> db.execute().createDelete(SWEEP).params(Rows.text(now)).execute());
        }
    }

    @Override
    public Optional<TokenVerifier.VerifiedToken> take(String id, Instant now) {
        Objects.requireNonNull(id, "id");
        Optional<DbRow> row = call("redeeming a connect ticket", () -> db.execute().createGet(TAKE).params(id).execute());
        return row.filter(r -> now.isBefore(Rows.instant(r, "expires_at")))
                .map(r -> new TokenVerifier.VerifiedToken(
                        new User(UserId.of(Rows.string(r, "user_id")), Rows.string(r, "display_name")),
                        Rows.optionalInstant(r, "token_expires_at").orElse(Instant.MAX),
                        Rows.optionalInstant(r, "token_issued_at").orElse(Instant.MIN)));
    }
}
