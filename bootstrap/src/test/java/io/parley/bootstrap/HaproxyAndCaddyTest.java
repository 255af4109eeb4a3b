package io.parley.bootstrap;

import io.parley.doctor.Check;
import io.parley.doctor.Doctor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
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
        try (LocalProxy proxy = LocalProxy.haproxy(parley.port())) {
            passesEveryStep(proxy);
        }
    }

    @Test
    void the_shipped_caddyfile_passes_every_step() throws Exception {
        try (LocalProxy proxy = LocalProxy.caddy(parley.port())) {
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
