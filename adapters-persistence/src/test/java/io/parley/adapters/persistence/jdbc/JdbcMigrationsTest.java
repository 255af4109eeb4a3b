package io.parley.adapters.persistence.jdbc;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.testkit.services.TestDatabase;
import io.parley.testkit.services.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema is Flyway's to manage, and can be migrated on its own. */
class JdbcMigrationsTest {

    @Test
    void migrating_creates_the_schema_once_then_finds_nothing_to_do() throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            JdbcSettings settings = Settings.of(database).build();

            assertTrue(JdbcStorage.migrate(settings) >= 1);
            assertEquals(0, JdbcStorage.migrate(settings));

            assertEquals(List.of("events", "memberships", "messages", "parley_schema_history", "read_markers",
                    "resumable_sessions", "rooms"), tables(database));
        }
    }

    @Test
    void a_database_with_tables_of_its_own_gets_the_schema_beside_them() throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            try (Connection c = database.connect()) {
                c.createStatement().execute("CREATE TABLE application_users (id int PRIMARY KEY)");
            }

            assertTrue(JdbcStorage.migrate(Settings.of(database).build()) >= 1);

            assertTrue(tables(database).containsAll(List.of("application_users", "rooms", "events")));
        }
    }

    @Test
    void migrating_a_database_nobody_listens_for_is_unavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JdbcSettings settings = JdbcSettings.builder().url("jdbc:postgresql://127.0.0.1:" + port + "/nothing")
                .connectionTimeout(Duration.ofSeconds(1)).build();

        ParleyException e = assertThrows(ParleyException.class, () -> JdbcStorage.migrate(settings));

        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }

    private static List<String> tables(TestDatabase database) throws SQLException {
        try (Connection c = database.connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
