package io.parley.bootstrap;

import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start-up that fails for a usual reason says so in one line, with the fix. */
class StartupFailureTest {

    private static Map<String, String> jdbc(String url, String user, String password) {
        Map<String, String> config = new HashMap<>();
        config.put("server.port", "0");
        config.put("server.host", "127.0.0.1");
        config.put("parley.auth.hs256-secret", "startup-secret-0123456789-0123456789-abc");
        config.put("parley.store.kind", "jdbc");
        config.put("parley.store.jdbc.url", url);
        config.put("parley.store.jdbc.user", user);
        config.put("parley.store.jdbc.password", password);
        config.put("parley.store.jdbc.connection-timeout", "PT2S");
        return config;
    }

    private static String explained(Map<String, String> config) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> ParleyServer.start(config).close());
        return StartupFailure.explain(failure).orElseThrow(() -> new AssertionError("not explained", failure));
    }

    @Test
    void a_database_that_does_not_exist_is_named_with_how_to_create_it() {
        try (TestDatabase db = TestPostgres.createDatabase()) {
            String missing = db.url().replaceAll("/[^/?]+(\\?.*)?$", "/parley_no_such_database$1");

            String line = explained(jdbc(missing, db.user(), db.password()));

            assertTrue(line.startsWith("the PostgreSQL database does not exist"), line);
            assertTrue(line.contains("createdb parley"), line);
            assertTrue(!line.contains("\n"), "one line");
        }
    }

    @Test
    void a_postgresql_nobody_listens_for_is_called_unreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String line = explained(jdbc("jdbc:postgresql://127.0.0.1:" + closed + "/parley", "parley", "secret"));

        assertTrue(line.startsWith("PostgreSQL is unreachable"), line);
    }

    @Test
    void a_port_in_use_is_named_with_the_setting_to_change() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> config = new HashMap<>();
            config.put("server.port", String.valueOf(taken.getLocalPort()));
            config.put("server.host", "127.0.0.1");
            config.put("parley.auth.hs256-secret", "startup-secret-0123456789-0123456789-abc");

            String line = explained(config);

            assertTrue(line.startsWith("the port is already in use"), line);
            assertTrue(line.contains("PARLEY_PORT"), line);
        }
    }

    @Test
    void login_refusals_and_other_causes_are_told_apart() {
        assertTrue(StartupFailure.explain(new RuntimeException(new SQLException("password authentication failed",
                "28P01"))).orElseThrow().contains("PARLEY_DB_PASSWORD"));
        assertTrue(StartupFailure.explain(new UncheckedIOException(new BindException("Address already in use")))
                .orElseThrow().contains("Address already in use"));
        assertTrue(StartupFailure.explain(new IllegalStateException("x", new ConnectException("Connection refused")))
                .orElseThrow().contains("unreachable"));
        assertEquals(Optional.empty(), StartupFailure.explain(new IllegalStateException("a bug")));
        assertEquals(Optional.empty(), StartupFailure.explain(new RuntimeException(new SQLException("syntax", "42601"))));
    }
}
