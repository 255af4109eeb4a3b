package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.FeedCursors;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.Revocations;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;

import java.util.Objects;

/**
 * Rooms, room logs and session records in PostgreSQL, durable and shareable by several server nodes: the
 * {@link Rooms}, {@link RoomLog} and {@link ResumableSessions} ports over one database. {@link #create}
 * migrates the schema and opens a connection pool; {@link #close} releases it.
 *
 * <p>Every call fails with {@code unavailable} within a bounded time (about the connection timeout plus
 * twice the statement timeout) when the database is down, hung or overloaded, and works again by itself
 * when the database is back. An append returns only after its transaction committed.
 */
public final class JdbcStorage implements AutoCloseable {
    private final DbClient db;
    private final AppendQueue queue;
    private final JdbcRooms rooms;
    private final JdbcRoomLog log;
    private final JdbcResumableSessions sessions;
    private final JdbcConnectTickets tickets;
    private final JdbcRevocations revocations;
    private final JdbcFeedCursors feedCursors;

    private JdbcStorage(DbClient db, AppendQueue queue) {
        this.db = db;
        this.queue = queue;
        this.rooms = new JdbcRooms(db);
        this.log = new JdbcRoomLog(db, queue);
        this.sessions = new JdbcResumableSessions(db);
        this.tickets = new JdbcConnectTickets(db);
        this.revocations = new JdbcRevocations(db);
        this.feedCursors = new JdbcFeedCursors(db);
    }

    /**
     * Runs the schema migrations, then opens the store.
     *
     * @param settings where the database is and how long to wait for it
     * @return the open store
     * @throws io.parley.domain.ParleyException {@code unavailable} when the database cannot be reached
     */
    public static JdbcStorage create(JdbcSettings settings) {
        Objects.requireNonNull(settings, "settings");
        migrate(settings);
        JdbcConnectionPool pool = Pool.create(settings);
        DbClient db = JdbcClientBuilder.create().connectionPool(pool).build();
        AppendQueue queue = new AppendQueue(new AppendTransaction(db), settings.writers(), settings.maxBatch(),
                settings.connectionTimeout().plus(settings.statementTimeout().multipliedBy(2)));
        return new JdbcStorage(db, queue);
    }

    /**
     * Brings the schema up to date and returns; for a deployment step that migrates before the servers
     * start. {@link #create} runs it too.
     *
     * @param settings where the database is
     * @return how many migrations ran (0 when the schema was up to date)
     * @throws io.parley.domain.ParleyException {@code unavailable} when the database cannot be reached
     */
    public static int migrate(JdbcSettings settings) {
        try {
            return Migrations.run(settings);
        } catch (RuntimeException e) {
            throw Failures.translate(e, "migrating the schema");
        }
    }

    /** @return the rooms port */
    public Rooms rooms() {
        return rooms;
    }

    /** @return the room log port, over the same database as {@link #rooms()} */
    public RoomLog log() {
        return log;
    }

    /** @return the records of SSE and long-poll sessions, over the same database, shared by every node */
    public ResumableSessions sessions() {
        return sessions;
    }

    /** @return connect tickets, over the same database, redeemable on every node */
    public ConnectTickets tickets() {
        return tickets;
    }

    /** @return revoked users, over the same database, shared by every node */
    public Revocations revocations() {
        return revocations;
    }

    /** @return event listeners' positions and claims, over the same database, shared by every node */
    public FeedCursors feedCursors() {
        return feedCursors;
    }

    /**
     * A readiness check: one round trip to the database, within the connection and statement timeouts.
     *
     * @return whether the database answered
     */
    public boolean ping() {
        try {
            return db.execute().get("SELECT 1 AS ok").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stops the writers (queued appends fail with {@code unavailable}) and closes the pool. */
    @Override
    public void close() {
        queue.close();
        db.close(); // closes the pool too
    }
}
