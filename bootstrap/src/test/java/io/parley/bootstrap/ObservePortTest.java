package io.parley.bootstrap;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code parley.observe.port}: metrics and health details move to a port of their own (for the operator's
 * network), the main port keeps bare liveness and readiness for load balancers and answers nothing else
 * under {@code /observe/}.
 */
class ObservePortTest {
    @Test
    void metrics_and_details_move_to_their_own_port_and_the_main_port_keeps_bare_health() {
        TestServer server = TestServer.start(Map.of("parley.observe.port", "0"));
        try {
            int observe = server.server().observePort();
            assertNotEquals(server.port(), observe);

            assertEquals(404, get(server, server.http("/observe/metrics")).statusCode());
            assertEquals(404, get(server, server.http("/observe/health")).statusCode());
            HttpResponse<String> ready = get(server, server.http("/observe/health/ready"));
            assertEquals(200, ready.statusCode());
            assertEquals("{\"status\":\"UP\"}", ready.body(), "no details on the main port");
            assertEquals(200, get(server, server.http("/observe/health/live")).statusCode());

            HttpResponse<String> metrics = get(server, URI.create("http://127.0.0.1:" + observe + "/observe/metrics"));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("parley_"), "Parley's meters are there");
            HttpResponse<String> details = get(server, URI.create("http://127.0.0.1:" + observe + "/observe/health"));
            assertTrue(details.body().contains("\"sessions\""), details.body());

            // Draining: readiness goes DOWN on the main port too.
            server.server().sessions().stopAccepting();
            assertEquals(503, get(server, server.http("/observe/health/ready")).statusCode());
        } finally {
            server.close();
        }
    }

    @Test
    void without_an_observe_port_everything_stays_on_the_main_port() {
        TestServer server = TestServer.start();
        try {
            assertEquals(server.port(), server.server().observePort());
            assertEquals(200, get(server, server.http("/observe/metrics")).statusCode());
            assertFalse(get(server, server.http("/observe/health")).body().isEmpty());
        } finally {
            server.close();
        }
    }

    private static HttpResponse<String> get(TestServer server, URI uri) {
        return server.send(HttpRequest.newBuilder(uri).header("Accept", "application/json, text/plain"));
    }
}
