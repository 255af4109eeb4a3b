package io.parley.doctor;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doctor against servers that are not Parley (a closed port, a single-page app's web server, a proxy that
 * answers 502 or redirects) and its command line; behind real nginx in front of real Parley it is tested by
 * bootstrap's {@code NginxProxyTest}.
 */
class DoctorTest {

    private static Doctor.Options options(String url, Optional<String> origin) {
        return new Doctor.Options(url, Optional.of("a-token"), origin, false, Duration.ofSeconds(2), 1, false,
                Optional.empty());
    }

    private static Check step(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** A web server that answers every path with {@code status}, {@code contentType} and {@code body}. */
    private static HttpServer serving(int status, String contentType, String body, String location) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (!location.isEmpty()) {
                exchange.getResponseHeaders().set("Location", location);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void a_closed_port_stops_at_tcp_and_names_the_ports_people_confuse() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        List<Check> checks = Doctor.run(options("http://127.0.0.1:" + closed, Optional.empty()));

        assertEquals(List.of("address", "tcp"), checks.stream().map(Check::name).toList());
        Check tcp = step(checks, "tcp");
        assertEquals(Check.Status.FAIL, tcp.status());
        assertTrue(tcp.line().contains("connection refused") && tcp.line().contains("8080"), tcp.line());
    }

    @Test
    void an_unknown_host_stops_at_the_address() {
        List<Check> checks = Doctor.run(options("https://no-such-host.invalid", Optional.empty()));

        assertEquals(1, checks.size());
        assertEquals(Check.Status.FAIL, step(checks, "address").status());
    }

    @Test
    void a_single_page_apps_fallback_is_told_apart_from_parley() throws IOException {
        HttpServer spa = serving(200, "text/html", "<!doctype html><title>App</title>", "");
        try {
            List<Check> checks = Doctor.run(options("http://127.0.0.1:" + spa.getAddress().getPort(), Optional.empty()));

            assertTrue(step(checks, "http").line().contains("HTML page"), step(checks, "http").line());
            assertTrue(step(checks, "websocket").line().contains("HTML page"), step(checks, "websocket").line());
            assertEquals(Check.Status.WARN, step(checks, "health").status(), "an extra: " + step(checks, "health"));
        } finally {
            spa.stop(0);
        }
    }

    @Test
    void a_proxy_without_its_upstream_answers_502_at_every_step() throws IOException {
        HttpServer proxy = serving(502, "text/html", "<html>502 Bad Gateway</html>", "");
        try {
            List<Check> checks = Doctor.run(options("http://127.0.0.1:" + proxy.getAddress().getPort(), Optional.empty()));

            for (String name : List.of("http", "websocket", "sse", "long-poll")) {
                assertTrue(step(checks, name).line().contains("502 Bad Gateway"), step(checks, name).line());
            }
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void a_redirect_names_where_it_goes() throws IOException {
        HttpServer proxy = serving(301, "text/html", "", "https://chat.example.com/v1/rooms");
        try {
            List<Check> checks = Doctor.run(options("http://127.0.0.1:" + proxy.getAddress().getPort(), Optional.empty()));

            Check http = step(checks, "http");
            assertTrue(http.line().contains("301 redirect to https://chat.example.com/v1/rooms"), http.line());
            assertTrue(http.line().contains("wss://"), http.line());
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void an_https_page_cannot_use_plain_websockets() throws IOException {
        HttpServer server = serving(404, "text/plain", "", "");
        try {
            List<Check> checks = Doctor.run(options("http://127.0.0.1:" + server.getAddress().getPort(),
                    Optional.of("https://app.example.com")));

            Check mixed = step(checks, "mixed-content");
            assertEquals(Check.Status.FAIL, mixed.status());
            assertTrue(mixed.line().contains("wss://"), mixed.line());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void urls_are_taken_back_to_their_prefix() {
        assertEquals(new Target("wss://example.com/chat/v1/ws", true, "example.com", 443, "/chat"),
                Target.parse("wss://example.com/chat/v1/ws"));
        assertEquals("http://localhost:8080/v1/poll", Target.parse("localhost:8080/").http("/v1/poll"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("ftp://example.com"));
    }

    @Test
    void the_command_line_refuses_what_it_does_not_know_and_exits_by_outcome() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Doctor.main(new String[] {"http://127.0.0.1:1", "--bogus"}, new PrintStream(out), Optional.empty());
        assertEquals(2, code);
        assertTrue(out.toString().contains("unknown argument --bogus"), out.toString());

        out.reset();
        code = Doctor.main(new String[] {"http://127.0.0.1:1", "--user", "ann"}, new PrintStream(out), Optional.empty());
        assertEquals(2, code, "--user needs a launcher that can sign");

        out.reset();
        code = Doctor.main(new String[] {"http://127.0.0.1:1", "--json"}, new PrintStream(out), Optional.empty());
        assertEquals(1, code);
        assertTrue(out.toString().startsWith("[{\"step\":\"address\",\"status\":\"ok\""), out.toString());
        assertTrue(out.toString().contains("{\"step\":\"tcp\",\"status\":\"fail\""), out.toString());
    }
}
