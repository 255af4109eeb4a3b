package io.parley.testservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * An empty database of its own for one test class, on a PostgreSQL server the test does not manage.
 * {@link #close()} drops it.
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;

    TestDatabase(PostgresServer server, String name) {
        this.server = Objects.requireNonNull(server, "server");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the database name */
    public String name() {
        return name;
    }

    /** @return the JDBC URL of this database */
    public String url() {
        return server.url(name);
    }

    /** @return the user to connect as */
    public String user() {
        return server.user();
    }

    /** @return the user's password (empty when the server trusts the user) */
    public String password() {
        return server.password();
    }

    /**
     * Opens a plain connection, for a test that looks at the tables or holds locks itself.
     *
     * @return a new connection; the caller closes it
     * @throws SQLException when the server refuses
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Drops the database, closing whatever connections are still open to it. */
    @Override
    public void close() {
        server.drop(name);
    }

    @Override
    public String toString() {
        return url();
    }
}
