package io.parley.bootstrap;

import io.parley.testservices.RequiredTools;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx (Debian's) in a process of its own, serving one http-level configuration file from a temporary
 * prefix: no daemon, one process, logs and temporary files in the prefix. On a machine without nginx the test
 * is skipped, and fails in CI ({@code .ci/run} installs it).
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = Stream.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")
            .map(Path::of).filter(Files::isExecutable).findFirst().orElse(Path.of("nginx"));

    private final Path prefix;
    private final Process process;
    private final int port;

    private Nginx(Path prefix, Process process, int port) {
        this.prefix = prefix;
        this.process = process;
        this.port = port;
    }

    static void require() {
        RequiredTools.require(Files.isExecutable(BINARY), "nginx is not installed (Debian: apt-get install nginx)");
    }

    /** The repository's proven configuration, pointed at Parley's port and listening on {@code listen}. */
    static String deployConfig(int parleyPort, int listen) throws IOException {
        Path file = Path.of("..", "deploy", "nginx", "parley.conf");
        return Files.readString(file)
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + parleyPort + ";")
                .replace("listen 80;", "listen 127.0.0.1:" + listen + ";");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts nginx with {@code config} (an http-level file listening on {@code port}) and waits until it accepts
     * connections.
     */
    static Nginx start(String config, int port) throws IOException, InterruptedException {
        Path prefix = Files.createTempDirectory("parley-nginx");
        String site = config.replace("/var/log/nginx/parley.access.log", prefix.resolve("access.log").toString());
        Files.writeString(prefix.resolve("parley.conf"), site);
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 512; }
                http {
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    access_log %1$s/access.log;
                    include %1$s/parley.conf;
                }
                """.formatted(prefix));
        Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("stdout.log").toFile())
                .start();
        Nginx nginx = new Nginx(prefix, process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.readString(prefix.resolve("stdout.log"))
                            + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : "");
                    nginx.close();
                    throw new IllegalStateException("nginx did not start: " + log);
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

    /** @return nginx's access log so far */
    String accessLog() throws IOException {
        Path log = prefix.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** @return nginx's error log so far (upstream failures, retries to the next upstream) */
    String errorLog() throws IOException {
        Path log = prefix.resolve("error.log");
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
