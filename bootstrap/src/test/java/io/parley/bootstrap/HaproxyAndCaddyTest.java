package io.parley.bootstrap;

import io.parley.doctor.Check;
import io.parley.doctor.Doctor;
import io.parley.testservices.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/haproxy/haproxy.cfg} and {@code deploy/caddy/Caddyfile} started for real (Debian's haproxy and
 * caddy) in front of a Parley server, and {@code parley doctor} run through each: as shipped, every step passes,
 * an idle WebSocket outlives the heartbeat, and the client's address and scheme reach Parley.
 */
class HaproxyAndCaddyTest {
    private static final List<String> STEPS = List.of("address", "tcp", "http", "health", "client", "headers",
            "websocket", "frames", "idle", "sse", "long-poll");
    private static TestServer parley;

    @BeforeAll
    static void start() {
        parley = TestServer.start(Map.of("parley.sessions.heartbeat", "PT8S", "parley.diagnostics", "true"));
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void the_shipped_haproxy_configuration_passes_every_step() throws Exception {
        Path haproxy = LocalProxy.binary("haproxy");
        RequiredTools.require(Files.isExecutable(haproxy), "haproxy is not installed (Debian: apt-get install haproxy)");
        int port = LocalProxy.freePort();
        String config = Files.readString(Path.of("..", "deploy", "haproxy", "haproxy.cfg"))
                .replace("bind :80", "bind 127.0.0.1:" + port)
                .replace("server node1 127.0.0.1:8080", "server node1 127.0.0.1:" + parley.port());
        Path prefix = Files.createTempDirectory("parley-haproxy");
        Files.writeString(prefix.resolve("haproxy.cfg"), config);
        try (LocalProxy proxy = LocalProxy.start(List.of(haproxy.toString(), "-db", "-f",
                prefix.resolve("haproxy.cfg").toString()), Map.of(), prefix, port)) {
            passesEveryStep(proxy);
        }
    }

    @Test
    void the_shipped_caddyfile_passes_every_step() throws Exception {
        Path caddy = LocalProxy.binary("caddy");
        RequiredTools.require(Files.isExecutable(caddy), "caddy is not installed (Debian: apt-get install caddy)");
        int port = LocalProxy.freePort();
        // Plain http on a test port instead of the name's automatic HTTPS; no admin endpoint.
        String config = Files.readString(Path.of("..", "deploy", "caddy", "Caddyfile"))
                .replace("chat.example.com {", "{\n\tadmin off\n}\n\nhttp://127.0.0.1:" + port + " {")
                .replace("reverse_proxy 127.0.0.1:8080", "reverse_proxy 127.0.0.1:" + parley.port());
        Path prefix = Files.createTempDirectory("parley-caddy");
        Files.writeString(prefix.resolve("Caddyfile"), config);
        try (LocalProxy proxy = LocalProxy.start(List.of(caddy.toString(), "run", "--config",
                prefix.resolve("Caddyfile").toString(), "--adapter", "caddyfile"), Map.of("HOME", prefix.toString(),
                "XDG_CONFIG_HOME", prefix.toString(), "XDG_DATA_HOME", prefix.toString()), prefix, port)) {
            passesEveryStep(proxy);
        }
    }

    private static void passesEveryStep(LocalProxy proxy) throws IOException, InterruptedException {
        awaitReady(proxy); // the proxy's first health check
        List<Check> checks = Doctor.run(new Doctor.Options(proxy.url("/"), Optional.of(parley.token("alice")),
                Optional.empty(), false, Duration.ofSeconds(5), 2, true, Optional.empty()));
        String lines = String.join("\n", checks.stream().map(Check::line).toList()) + "\n" + proxy.log("stdout.log");
        for (String step : STEPS) {
            Check check = checks.stream().filter(c -> c.name().equals(step)).findFirst()
                    .orElseThrow(() -> new AssertionError("no step " + step + " in " + lines));
            assertEquals(Check.Status.OK, check.status(), lines);
            if (step.equals("headers")) {
                assertTrue(check.detail().contains("X-Forwarded-For 127.0.0.1"), lines);
                assertTrue(check.detail().contains("X-Forwarded-Proto http"), lines);
            }
            if (step.equals("idle")) {
                assertTrue(check.detail().contains("past the 8 s heartbeat"), lines);
            }
        }
    }

    private static void awaitReady(LocalProxy proxy) throws IOException, InterruptedException {
        HttpRequest.Builder ready = HttpRequest.newBuilder(URI.create(proxy.url("/observe/health/ready")));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status;
        while ((status = parley.send(ready).statusCode()) != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the proxy never found Parley ready (" + status + "): "
                        + proxy.log("stdout.log"));
            }
            Thread.sleep(100);
        }
    }
}
