package io.parley.bootstrap;

import io.parley.doctor.Check;
import io.parley.doctor.Doctor;
import io.parley.testservices.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/nginx/parley.conf} started for real (Debian's nginx) in front of a Parley server, and
 * {@code parley doctor} run through it: the file as shipped passes every step, and each broken variant the field
 * reports describe (no upgrade headers, HTTP/1.0 upstream, a 5-second read timeout, SSE buffered and gzipped, the
 * wrong upstream port, a location prefix mismatch, an http→https redirect) is named by the step it breaks.
 */
class NginxProxyTest {
    private static TestServer parley;

    @BeforeAll
    static void start() {
        Nginx.require();
        parley = TestServer.start(Map.of("parley.sessions.heartbeat", "PT8S", "parley.diagnostics", "true"));
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    private record Run(List<Check> checks, String accessLog) {
        Check step(String name) {
            return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no step " + name + " in " + lines()));
        }

        String lines() {
            return String.join("\n", checks.stream().map(Check::line).toList());
        }

        void fails(String step, String... words) {
            Check check = step(step);
            assertEquals(Check.Status.FAIL, check.status(), lines());
            String text = check.line();
            for (String word : words) {
                assertTrue(text.contains(word), "'" + word + "' in: " + text);
            }
        }
    }

    /** Starts nginx with the shipped file changed by {@code variant} and runs the doctor through it. */
    private static Run doctor(UnaryOperator<String> variant, String path, boolean idle, int pollWait, int timeout)
            throws IOException, InterruptedException {
        int port = Nginx.freePort();
        try (Nginx nginx = Nginx.start(variant.apply(Nginx.deployConfig(parley.port(), port)), port)) {
            List<Check> checks = Doctor.run(new Doctor.Options(nginx.url(path), Optional.of(parley.token("alice")),
                    Optional.empty(), false, Duration.ofSeconds(timeout), pollWait, idle, Optional.empty()));
            return new Run(checks, nginx.accessLog());
        }
    }

    @Test
    void the_shipped_configuration_passes_every_step_and_keeps_tokens_out_of_the_access_log() throws Exception {
        Run run = doctor(config -> config, "/", true, 2, 5);

        for (String step : List.of("address", "tcp", "http", "health", "client", "headers", "websocket", "frames",
                "idle", "sse", "long-poll", "mixed-content")) {
            assertEquals(Check.Status.OK, run.step(step).status(), run.lines());
        }
        assertTrue(run.step("headers").detail().contains("X-Forwarded-For 127.0.0.1"), run.lines());
        assertTrue(run.step("idle").detail().contains("past the 8 s heartbeat"), run.lines());
        assertTrue(run.accessLog().contains("GET /v1/ws HTTP/1.1\" 101"), run.accessLog());
        assertTrue(run.accessLog().contains("GET /v1/events HTTP/1.1\" 200"), run.accessLog());
        assertFalse(run.accessLog().contains("access_token"), "no query string, so no token: " + run.accessLog());
    }

    @Test
    void tls_terminated_at_nginx_serves_every_transport_over_https_and_wss() throws Exception {
        Path certs = Files.createTempDirectory("parley-tls");
        Path cert = certs.resolve("cert.pem");
        Path key = certs.resolve("key.pem");
        selfSigned(cert, key);
        int port = Nginx.freePort();
        String config = Nginx.deployConfig(parley.port(), port)
                .replace("listen 127.0.0.1:" + port + ";", "listen 127.0.0.1:" + port + " ssl;")
                .replace("# ssl_certificate     /etc/ssl/certs/chat.example.com.pem;", "ssl_certificate " + cert + ";")
                .replace("# ssl_certificate_key /etc/ssl/private/chat.example.com.key;",
                        "ssl_certificate_key " + key + ";");
        try (Nginx nginx = Nginx.start(config, port)) {
            String url = "https://localhost:" + port + "/";
            Run run = new Run(Doctor.run(new Doctor.Options(url, Optional.of(parley.token("alice")), Optional.empty(),
                    false, Duration.ofSeconds(5), 2, false, Optional.of(cert))), nginx.accessLog());
            for (String step : List.of("address", "tcp", "tls", "http", "health", "client", "headers", "websocket",
                    "frames", "sse", "long-poll", "mixed-content")) {
                assertEquals(Check.Status.OK, run.step(step).status(), run.lines());
            }
            // What tells Parley (and the doctor) that the browser's page was https: the proxy's header.
            assertTrue(run.step("headers").detail().contains("X-Forwarded-Proto https"), run.lines());
            assertTrue(run.step("websocket").detail().contains("wss://"), run.lines());

            // Without the CA, the doctor names the certificate as the problem, not the proxy.
            Run untrusted = new Run(Doctor.run(new Doctor.Options(url, Optional.of(parley.token("alice")),
                    Optional.empty(), false, Duration.ofSeconds(5), 1, false, Optional.empty())), "");
            untrusted.fails("tls", "--cacert");
        } finally {
            Files.deleteIfExists(cert);
            Files.deleteIfExists(key);
            Files.deleteIfExists(certs);
        }
    }

    /** A certificate for localhost and 127.0.0.1, made by openssl for this test only. */
    private static void selfSigned(Path cert, Path key) throws IOException, InterruptedException {
        RequiredTools.require(Files.isExecutable(Path.of("/usr/bin/openssl")),
                "openssl is not installed (Debian: apt-get install openssl)");
        Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.waitFor(), output);
    }

    @Test
    void without_the_upgrade_headers_the_websocket_step_names_them() throws Exception {
        Run run = doctor(config -> config.replace("proxy_set_header Upgrade $http_upgrade;", "")
                .replace("proxy_set_header Connection $parley_connection;", ""), "/", false, 1, 5);

        run.fails("websocket", "Upgrade/Connection headers did not reach Parley", "proxy_set_header Upgrade");
        assertEquals(Check.Status.OK, run.step("http").status(), "the rest still works: " + run.lines());
    }

    @Test
    void an_http10_upstream_is_named_with_the_line_that_fixes_it() throws Exception {
        Run run = doctor(config -> config.replace("proxy_http_version 1.1;", ""), "/", false, 1, 5);

        run.fails("http", "505", "proxy_http_version 1.1");
    }

    @Test
    void a_read_timeout_shorter_than_the_heartbeat_cuts_idle_websockets_and_long_polls() throws Exception {
        Run run = doctor(config -> config.replace("proxy_read_timeout 3600s;", "proxy_read_timeout 5s;"), "/", true,
                7, 5);

        run.fails("idle", "cut after", "idle timeout is shorter than Parley's heartbeat");
        run.fails("long-poll", "7 s wait", "proxy_read_timeout");
    }

    @Test
    void an_event_stream_held_back_by_buffering_is_named() throws Exception {
        // nginx buffers by default but honours Parley's X-Accel-Buffering: no; what holds events back is that
        // header ignored together with gzip on event streams (the doctor asks for gzip, as browsers do).
        Run run = doctor(config -> config.replace("proxy_buffering off;", "proxy_ignore_headers X-Accel-Buffering; "
                + "gzip on; gzip_types text/event-stream; gzip_min_length 0;"), "/", false, 1, 3);

        run.fails("sse", "no event within 3 s", "proxy_buffering off");
    }

    @Test
    void the_wrong_upstream_port_is_a_502_that_names_the_port() throws Exception {
        int closed = Nginx.freePort();
        Run run = doctor(config -> config.replace("server 127.0.0.1:" + parley.port() + ";",
                "server 127.0.0.1:" + closed + ";"), "/", false, 1, 5);

        run.fails("http", "502", "the port it listens on");
        run.fails("websocket", "502");
    }

    @Test
    void a_location_prefix_mismatch_is_named() throws Exception {
        Run run = doctor(config -> config.replace("location / {", "location /chat/ {"), "/", false, 1, 5);

        run.fails("http", "404 from something that is not Parley", "location prefix");
    }

    @Test
    void an_http_to_https_redirect_is_named_with_its_target() throws Exception {
        Run run = doctor(config -> config.replace("    location / {",
                "    return 301 https://$host$request_uri;\n    location / {"), "/", false, 1, 5);

        run.fails("http", "301 redirect to https://127.0.0.1/v1/rooms", "wss://");
    }
}
