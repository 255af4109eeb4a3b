package io.parley.bootstrap;

import io.parley.testservices.RequiredTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real nginx (Debian's) in a process of its own, serving one http-level configuration file from a temporary
 * prefix: no daemon, one process, logs and temporary files in the prefix. On a machine without nginx the test
 * is skipped, and fails in CI ({@code .ci/run} installs it).
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = LocalProxy.binary("nginx");

    private final LocalProxy process;

    private Nginx(LocalProxy process) {
        this.process = process;
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
        return LocalProxy.freePort();
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
        return new Nginx(LocalProxy.start(List.of(BINARY.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString()), Map.of(), prefix, port));
    }

    int port() {
        return process.port();
    }

    String url(String path) {
        return process.url(path);
    }

    /** @return nginx's access log so far */
    String accessLog() throws IOException {
        return process.log("access.log");
    }

    /** @return nginx's error log so far (upstream failures, retries to the next upstream) */
    String errorLog() throws IOException {
        return process.log("error.log");
    }

    @Override
    public void close() {
        process.close();
    }
}
