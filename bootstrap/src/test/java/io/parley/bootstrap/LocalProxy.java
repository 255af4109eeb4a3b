package io.parley.bootstrap;

import io.parley.testservices.RequiredTools;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real reverse proxy (nginx, HAProxy, Caddy: Debian's) in a process of its own, in the foreground, with its
 * files in a temporary prefix that is removed when it stops. Started, it accepts connections on its port.
 */
final class LocalProxy implements AutoCloseable {
    private final Path prefix;
    private final Process process;
    private final int port;

    private LocalProxy(Path prefix, Process process, int port) {
        this.prefix = prefix;
        this.process = process;
        this.port = port;
    }

    /** Finds a program among the usual places of Debian's packages. */
    static Path binary(String name) {
        return Stream.of("/usr/sbin/", "/usr/local/sbin/", "/usr/bin/", "/usr/local/bin/")
                .map(dir -> Path.of(dir + name)).filter(Files::isExecutable).findFirst().orElse(Path.of(name));
    }

    /**
     * The repository's {@code deploy/haproxy/haproxy.cfg} run by Debian's haproxy on a free port, in front of
     * the Parley nodes listening on {@code upstreams}. Skipped without haproxy, failed in CI.
     */
    static LocalProxy haproxy(int... upstreams) throws IOException, InterruptedException {
        Path haproxy = binary("haproxy");
        RequiredTools.require(Files.isExecutable(haproxy), "haproxy is not installed (Debian: apt-get install haproxy)");
        int port = freePort();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < upstreams.length; i++) {
            servers.append(i == 0 ? "" : "\n    ").append("server node").append(i + 1).append(" 127.0.0.1:")
                    .append(upstreams[i]).append(" check");
        }
        Path prefix = Files.createTempDirectory("parley-haproxy");
        Files.writeString(prefix.resolve("haproxy.cfg"), Files.readString(Path.of("..", "deploy", "haproxy",
                "haproxy.cfg")).replace("bind :80", "bind 127.0.0.1:" + port)
                .replace("server node1 127.0.0.1:8080 check", servers.toString()));
        return start(List.of(haproxy.toString(), "-db", "-f", prefix.resolve("haproxy.cfg").toString()), Map.of(),
                prefix, port);
    }

    /**
     * The repository's {@code deploy/caddy/Caddyfile} run by Debian's caddy on a free port (plain http instead
     * of the site name's automatic HTTPS, no admin endpoint), in front of the Parley nodes on {@code upstreams}.
     * Skipped without caddy, failed in CI.
     */
    static LocalProxy caddy(int... upstreams) throws IOException, InterruptedException {
        Path caddy = binary("caddy");
        RequiredTools.require(Files.isExecutable(caddy), "caddy is not installed (Debian: apt-get install caddy)");
        int port = freePort();
        StringBuilder targets = new StringBuilder("reverse_proxy");
        for (int upstream : upstreams) {
            targets.append(" 127.0.0.1:").append(upstream);
        }
        Path prefix = Files.createTempDirectory("parley-caddy");
        Files.writeString(prefix.resolve("Caddyfile"), Files.readString(Path.of("..", "deploy", "caddy", "Caddyfile"))
                .replace("chat.example.com {", "{\n\tadmin off\n}\n\nhttp://127.0.0.1:" + port + " {")
                .replace("reverse_proxy 127.0.0.1:8080", targets.toString()));
        return start(List.of(caddy.toString(), "run", "--config", prefix.resolve("Caddyfile").toString(), "--adapter",
                "caddyfile"), Map.of("HOME", prefix.toString(), "XDG_CONFIG_HOME", prefix.toString(),
                "XDG_DATA_HOME", prefix.toString()), prefix, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Runs {@code command} (files in {@code prefix}, its output to {@code stdout.log} there) and waits until
     * something accepts connections on {@code port}.
     */
    static LocalProxy start(List<String> command, Map<String, String> environment, Path prefix, int port)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(prefix.toFile())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("stdout.log").toFile());
        builder.environment().putAll(environment);
        LocalProxy proxy = new LocalProxy(prefix, builder.start(), port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return proxy;
            } catch (IOException notYet) {
                if (!proxy.process.isAlive() || System.nanoTime() > deadline) {
                    String log = proxy.log("stdout.log") + proxy.log("error.log");
                    proxy.close();
                    throw new IllegalStateException(command.getFirst() + " did not start: " + log);
                }
                Thread.sleep(20);
            }
        }
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** @return a file of the prefix (a log), or "" when there is none */
    String log(String file) throws IOException {
        Path log = prefix.resolve(file);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
