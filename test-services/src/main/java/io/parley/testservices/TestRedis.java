package io.parley.testservices;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Optional;

/**
 * A Redis for tests, found the first way that works:
 * <ol>
 *     <li>the server named by the environment variable {@value #URI_ENV} (e.g. {@code redis://127.0.0.1:6379});</li>
 *     <li>a {@code redis:7-alpine} container, when Testcontainers finds a Docker engine;</li>
 *     <li>an {@link EmbeddedRedisServer embedded server}, started once per JVM.</li>
 * </ol>
 * The shared server is never stopped by a test, nor flushed: tests keep apart by using names of their own
 * (a Redis namespace, or unique user and room ids). Tests that stop Redis start a
 * {@link #startPrivateServer() private server} instead.
 */
public final class TestRedis {
    /** The URI of an existing Redis for tests. */
    public static final String URI_ENV = "PARLEY_TEST_REDIS_URI";

    private static final String IMAGE = "redis:7-alpine";

    private static Source source;
    private static String shared;

    private TestRedis() {
    }

    /** Where the shared server comes from. */
    public enum Source {
        /** The server named by {@value TestRedis#URI_ENV}. */
        ENVIRONMENT,
        /** A container started through Testcontainers. */
        TESTCONTAINERS,
        /** An embedded server in a child process of this JVM. */
        EMBEDDED
    }

    /** @return the URI of the shared server, starting that server first if this JVM has none yet */
    public static synchronized String uri() {
        if (shared == null) {
            Optional<String> fromEnvironment = Optional.ofNullable(System.getenv(URI_ENV))
                    .map(String::strip)
                    .filter(uri -> !uri.isEmpty());
            if (fromEnvironment.isPresent()) {
                source = Source.ENVIRONMENT;
                shared = fromEnvironment.get();
            } else if (dockerAvailable()) {
                source = Source.TESTCONTAINERS;
                shared = container();
            } else {
                source = Source.EMBEDDED;
                shared = EmbeddedRedisServer.start().uri();
            }
        }
        return shared;
    }

    /** @return where the shared server of this JVM comes from (choosing it if not done yet) */
    public static synchronized Source source() {
        uri();
        return source;
    }

    /**
     * Starts a server that only the caller uses and may stop and restart.
     *
     * @return the running server; close it when done
     */
    public static EmbeddedRedisServer startPrivateServer() {
        return EmbeddedRedisServer.start();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // Testcontainers' reaper removes the container when the JVM ends.
    private static String container() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(6379)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\s", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }
}
