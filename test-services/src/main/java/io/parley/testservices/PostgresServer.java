package io.parley.testservices;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running PostgreSQL server that tests may create databases on: its address, a superuser and the
 * database to connect to for administration.
 *
 * @param baseUrl       a JDBC URL of the administration database, {@code jdbc:postgresql://host:port/db?…}
 * @param user          a user allowed to create databases
 * @param password      the user's password
 */
record PostgresServer(String baseUrl, String user, String password) {
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");
    private static final String PREFIX = "parley_t";
    /** Databases older than this were left behind by a test JVM that died; any run may drop them. */
    private static final Duration STALE = Duration.ofHours(6);
    /** Wall time, only to name databases and recognise stale ones. */
    private static final Clock CLOCK = Clock.systemUTC();

    PostgresServer {
        if (!URL.matcher(baseUrl).matches()) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host[:port]/database[?options], got "
                    + baseUrl);
        }
    }

    /**
     * @param database a database name
     * @return the JDBC URL of that database on this server, with the base URL's options
     */
    String url(String database) {
        Matcher m = URL.matcher(baseUrl);
        if (!m.matches()) {
            throw new IllegalStateException(baseUrl);
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    /** @return a new, empty database named {@code parley_t<epoch seconds>_<random>} */
    TestDatabase createDatabase() {
        String name = PREFIX + CLOCK.instant().getEpochSecond() + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        admin("CREATE DATABASE " + name);
        return new TestDatabase(this, name);
    }

    /** @param database a database to drop, with its open connections */
    void drop(String database) {
        try {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            // Servers before PostgreSQL 13 know no FORCE.
            admin("DROP DATABASE IF EXISTS " + database);
        }
    }

    /** Drops test databases that test JVMs which died left behind long ago. */
    void dropStaleDatabases() {
        long now = CLOCK.instant().getEpochSecond();
        List<String> stale = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(baseUrl, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_t%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                int end = name.indexOf('_', PREFIX.length());
                try {
                    long created = Long.parseLong(name.substring(PREFIX.length(), end < 0 ? name.length() : end));
                    if (now - created > STALE.toSeconds()) {
                        stale.add(name);
                    }
                } catch (NumberFormatException e) {
                    // Not one of ours.
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list databases on " + baseUrl, e);
        }
        stale.forEach(this::drop);
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(baseUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + baseUrl + ": " + e.getMessage(), e);
        }
    }
}
