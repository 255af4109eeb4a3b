package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pool's connections carry the store's session settings, read back from PostgreSQL itself. */
class PoolTest {

    @Test
    void connections_run_with_the_timeouts_custom_plans_and_no_jit() throws Exception {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            JdbcSettings settings = Settings.of(database).statementTimeout(Duration.ofSeconds(4)).build();
            JdbcConnectionPool pool = Pool.create(settings);
            try (Connection connection = pool.connection(); Statement statement = connection.createStatement()) {
                assertEquals("4s", show(statement, "statement_timeout"));
                assertEquals("2s", show(statement, "idle_in_transaction_session_timeout"));
                assertEquals("force_custom_plan", show(statement, "plan_cache_mode"));
                assertEquals("off", show(statement, "jit"));
            } finally {
                if (pool instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }

    private static String show(Statement statement, String setting) throws Exception {
        try (ResultSet row = statement.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }
}
