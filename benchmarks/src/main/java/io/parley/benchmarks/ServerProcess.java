package io.parley.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A server started for one scenario: the baseline or {@code bin/parley serve}, pinned to the server's CPUs
 * with {@code taskset}, its output in a log file, stopped with SIGTERM at the end.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Target target;

    private ServerProcess(Process process, Target target) {
        this.process = process;
        this.target = target;
    }

    /** How servers are started. */
    record Launch(Path root, String serverCpus, List<String> jvmFlags, String secret, Path logs) {
    }

    /** Starts the baseline with the launcher's JVM flags. */
    static ServerProcess baseline(Launch launch, String logName, int dropEvery) {
        return baseline(launch, "baseline", logName, dropEvery);
    }

    /** Starts the baseline with the launcher's JVM flags, called {@code name} in the report. */
    static ServerProcess baseline(Launch launch, String name, String logName, int dropEvery) {
        int port = freePort();
        List<String> cmd = pinned(launch);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launch.jvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
                "--port", Integer.toString(port), "--drop-every", Integer.toString(dropEvery)));
        return start(launch, name, logName, cmd, Map.of(), port);
    }

    /** Starts {@code bin/parley serve} with its launcher defaults, the given extra flags and settings. */
    static ServerProcess parley(Launch launch, String name, String logName, Map<String, String> env) {
        int port = freePort();
        List<String> cmd = pinned(launch);
        cmd.addAll(List.of(launch.root().resolve("bin/parley").toString(), "serve"));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PARLEY_HOST", "127.0.0.1");
        all.put("PARLEY_PORT", Integer.toString(port));
        all.put("PARLEY_JWT_SECRET", launch.secret());
        // the benchmark measures delivery: lift the per-session anti-abuse rate limit off the publishers
        all.put("PARLEY_SESSIONS_COMMANDS_dash_PER_dash_SECOND", "1000000");
        all.put("PARLEY_SESSIONS_COMMAND_dash_BURST", "1000000");
        all.put("PARLEY_SESSIONS_COMMANDS_dash_PER_dash_SECOND_dash_PER_dash_USER", "1000000");
        all.put("PARLEY_SESSIONS_COMMAND_dash_BURST_dash_PER_dash_USER", "1000000");
        all.put("JAVA_HOME", System.getProperty("java.home"));
        return start(launch, name, logName, cmd, all, port);
    }

    private static List<String> pinned(Launch launch) {
        List<String> cmd = new ArrayList<>();
        if (!launch.serverCpus().isEmpty() && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("taskset", "-c", launch.serverCpus()));
        }
        return cmd;
    }

    private static ServerProcess start(Launch launch, String name, String logName, List<String> cmd,
                                       Map<String, String> env, int port) {
        try {
            Files.createDirectories(launch.logs());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(launch.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(launch.logs().resolve(logName + ".log").toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            Target target = new Target(name, "127.0.0.1", port, launch.secret(), OptionalLong.of(p.pid()));
            ServerProcess server = new ServerProcess(p, target);
            long deadline = System.currentTimeMillis() + 120_000;
            while (!target.ready()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see "
                            + launch.logs().resolve(logName + ".log"));
                }
                if (System.currentTimeMillis() > deadline) {
                    server.close();
                    throw new IllegalStateException(name + " was not ready within 120 s");
                }
                ChatLoad.sleep(100);
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    Target target() {
        return target;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
