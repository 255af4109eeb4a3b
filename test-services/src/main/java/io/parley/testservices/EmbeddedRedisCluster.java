package io.parley.testservices;


import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real Redis Cluster of {@value #MASTERS} masters on loopback ports, without replicas or
 * {@link #startWithReplicas(Duration) with one replica each}, each node a {@code redis-server} process of its own,
 * for tests of cluster-aware clients. It runs the {@code redis-server} and {@code redis-cli} found on the
 * {@code PATH}, which must be Redis 7 or later (sharded pub/sub); the cluster is made with
 * {@code redis-cli --cluster create} and is ready when every node reports {@code cluster_state:ok}.
 *
 * <p>Without those programs there is no cluster to test against: {@link #start()} and {@link #shared()} then
 * abort the calling test through a JUnit assumption that says what is missing (the test is reported as skipped,
 * not passed). Nothing is persisted but each node's cluster configuration, so a node {@link #stop(int) stopped}
 * and {@link #restart(int) restarted} rejoins with its slots and without data, like a master that lost its
 * memory.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    /** How many masters the cluster has; the 16384 slots are spread evenly over them. */
    public static final int MASTERS = 3;

    private static final Duration READY = Duration.ofSeconds(20);
    /** Redis' default: a node stopped for less than this is not considered failed. */
    private static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.");

    private static EmbeddedRedisCluster shared;

    private final String server;
    private final String cli;
    private final Path dir;
    private final int replicas;
    private final Duration nodeTimeout;
    private final int[] ports;
    private final int[] busPorts;
    private final Process[] running;

    private EmbeddedRedisCluster(String server, String cli, Path dir, int replicas, Duration nodeTimeout) {
        this.server = server;
        this.cli = cli;
        this.dir = dir;
        this.replicas = replicas;
        this.nodeTimeout = nodeTimeout;
        int nodes = MASTERS * (1 + replicas);
        this.ports = new int[nodes];
        this.busPorts = new int[nodes];
        this.running = new Process[nodes];
    }

    /**
     * The cluster shared by the tests of this JVM, started on first use and stopped when the JVM exits. Tests
     * keep apart by names of their own; tests that stop nodes {@link #start() start a cluster} instead.
     *
     * @return the running cluster
     */
    public static synchronized EmbeddedRedisCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * Starts a new cluster that only the caller uses; aborts the calling test (a JUnit assumption) when the
     * machine has no Redis 7 {@code redis-server} and {@code redis-cli} on its {@code PATH}.
     *
     * @return the running cluster; close it when done
     */
    public static EmbeddedRedisCluster start() {
        return start(0, DEFAULT_NODE_TIMEOUT);
    }

    /**
     * Starts a new cluster in which each master has one replica, in sync when this returns (which nodes are
     * masters is {@code redis-cli}'s choice: see {@code CLUSTER NODES}), for failover tests: a master
     * {@link #stop(int) stopped} for longer than {@code nodeTimeout} is taken over by its replica. Aborts the
     * calling test like {@link #start()}.
     *
     * @param nodeTimeout the cluster's {@code cluster-node-timeout}: how soon an unreachable node counts as failed
     * @return the running cluster; close it when done
     */
    public static EmbeddedRedisCluster startWithReplicas(Duration nodeTimeout) {
        return start(1, nodeTimeout);
    }

    private static EmbeddedRedisCluster start(int replicas, Duration nodeTimeout) {
        Optional<String> missing = missingPrograms();
        RequiredTools.require(missing.isEmpty(), "no Redis Cluster to test against: " + missing.orElse("")
                + "; install Redis 7 or later (redis-server and redis-cli on the PATH) to run this test");
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(onPath("redis-server").orElseThrow(),
                onPath("redis-cli").orElseThrow(), dir, replicas, nodeTimeout);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "parley-redis-cluster-stop"));
        try {
            cluster.create();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * @return why no cluster can be started on this machine (no {@code redis-server} or {@code redis-cli} on the
     * {@code PATH}, or a Redis older than 7), or empty when one can
     */
    public static Optional<String> missingPrograms() {
        Optional<String> server = onPath("redis-server");
        if (server.isEmpty()) {
            return Optional.of("redis-server is not on the PATH");
        }
        if (onPath("redis-cli").isEmpty()) {
            return Optional.of("redis-cli is not on the PATH");
        }
        String version = run(List.of(server.get(), "--version"), Duration.ofSeconds(10));
        Matcher major = VERSION.matcher(version);
        if (!major.find() || Integer.parseInt(major.group(1)) < 7) {
            return Optional.of(server.get() + " is not Redis 7 or later (" + version.strip() + ")");
        }
        return Optional.empty();
    }

    /**
     * @return the seed URI of every node, as a cluster client reads it:
     * {@code redis://127.0.0.1:<port1>,127.0.0.1:<port2>,127.0.0.1:<port3>}
     */
    public String uri() {
        return "redis://" + IntStream.of(ports).mapToObj(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /**
     * @param node the node's index, as in {@link #ports()}
     * @return {@code redis://127.0.0.1:<port>} of that node alone
     */
    public String nodeUri(int node) {
        return "redis://127.0.0.1:" + ports[node];
    }

    /** @return the client ports of all nodes, in index order */
    public List<Integer> ports() {
        return IntStream.of(ports).boxed().toList();
    }

    /**
     * Stops one node; connections to it break and new ones are refused. Done well within the cluster's node
     * timeout (15 s unless started {@link #startWithReplicas(Duration) otherwise}), a {@link #restart(int) restart}
     * brings it back without the cluster marking it failed.
     *
     * @param node the node's index
     */
    public synchronized void stop(int node) {
        Process process = running[node];
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        running[node] = null;
        awaitPort(ports[node], false);
    }

    /**
     * Starts a stopped node again, on the same port and with its slots (unless a replica took them over meanwhile),
     * and waits until the cluster is ok.
     *
     * @param node the node's index
     */
    public synchronized void restart(int node) {
        if (running[node] == null) {
            launch(node);
            awaitClusterOk();
        }
    }

    /** Stops every node and deletes the cluster's files. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < running.length; i++) {
            stop(i);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Only temporary files are left behind.
        }
    }

    private void create() {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < ports.length; i++) {
            ports[i] = freePort(taken);
            busPorts[i] = freePort(taken);
        }
        for (int i = 0; i < ports.length; i++) {
            launch(i);
        }
        List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
        for (int port : ports) {
            command.add("127.0.0.1:" + port);
        }
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        String output = run(command, READY);
        if (!output.contains("[OK] All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
        }
        awaitClusterOk();
        awaitReplicasInSync();
    }

    /** Replicas attach to their masters after the cluster is made; one can only take over once it is in sync. */
    private void awaitReplicasInSync() {
        long deadline = System.nanoTime() + READY.toNanos();
        int expected = MASTERS * replicas;
        int inSync = 0;
        while (inSync < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(inSync + " of " + expected + " replicas are in sync with their master");
            }
            pause();
            inSync = 0;
            for (int port : ports) {
                String info = run(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port), "info", "replication"),
                        Duration.ofSeconds(5));
                if (info.contains("role:slave") && info.contains("master_link_status:up")) {
                    inSync++;
                }
            }
        }
    }

    private void launch(int node) {
        int port = ports[node];
        List<String> command = List.of(server,
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--cluster-port", Integer.toString(busPorts[node]),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0",
                "--dir", dir.toString(), "--logfile", "redis-" + port + ".log",
                "--daemonize", "no");
        try {
            running[node] = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout-" + port + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + server + " on port " + port, e);
        }
        try {
            awaitPort(port, true);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + log(port), e);
        }
    }

    private void awaitClusterOk() {
        long deadline = System.nanoTime() + READY.toNanos();
        for (int i = 0; i < ports.length; i++) {
            if (running[i] == null) {
                continue;
            }
            int port = ports[i];
            String info = "";
            while (!info.contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Redis Cluster node on port " + port + " is not ok:\n" + info);
                }
                pause();
                info = run(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port), "cluster", "info"),
                        Duration.ofSeconds(5));
            }
        }
    }

    private String log(int port) {
        try {
            return Files.readString(dir.resolve("redis-" + port + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static Optional<String> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, program))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private static void awaitPort(int port, boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean listening;
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                listening = true;
            } catch (IOException e) {
                listening = false;
            }
            if (listening == open) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("redis-server on port " + port + (open ? " did not start" : " did not stop"));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
        }
    }

    /** A free port not in {@code taken}, which it joins: the client and bus ports of all nodes differ. */
    private static int freePort(Set<Integer> taken) {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
