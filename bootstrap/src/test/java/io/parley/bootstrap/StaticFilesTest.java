package io.parley.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser client and the demo page over real HTTP: where they are served, as what, and how cached. */
class StaticFilesTest {

    /** The bundle's export list (clients/js/scripts/build.mjs) names the client. */
    private static final Pattern EXPORTS_PARLEY = Pattern.compile("export \\{[^}]*\\bParley\\b");

    @Test
    void the_client_is_served_at_a_stable_path_as_javascript_in_every_profile_and_the_demo_page_is_not() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> client = get(server, "/parley.js", null);
            assertEquals(200, client.statusCode());
            assertEquals("text/javascript; charset=utf-8", client.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", client.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("nosniff", client.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("*", client.headers().firstValue("Access-Control-Allow-Origin").orElseThrow(),
                    "apps on other origins import it as a module");
            assertEquals(resource("static/parley.js"), client.body());
            assertTrue(client.body().contains("class Parley {"), "the bundle holds the client");
            assertTrue(EXPORTS_PARLEY.matcher(client.body()).find(), "and exports it");

            HttpResponse<String> types = get(server, "/parley.d.ts", null);
            assertEquals(200, types.statusCode());
            assertTrue(types.headers().firstValue("Content-Type").orElseThrow().startsWith("application/typescript"));
            assertTrue(types.body().contains("declare class Parley {"), "the bundled declarations hold the client");
            assertTrue(EXPORTS_PARLEY.matcher(types.body()).find(), "and export it");

            assertEquals(404, get(server, "/", null).statusCode(), "no demo page outside dev mode");
            assertEquals(404, get(server, "/index.html", null).statusCode());
        }
    }

    @Test
    void an_unchanged_client_revalidates_with_304_and_no_body() {
        try (TestServer server = TestServer.start()) {
            String etag = get(server, "/parley.js", null).headers().firstValue("ETag").orElseThrow();
            assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
            HttpResponse<String> again = get(server, "/parley.js", etag);
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            assertEquals(200, get(server, "/parley.js", "\"something-else\"").statusCode());
        }
    }

    @Test
    void dev_mode_serves_the_demo_page_at_the_root() {
        try (TestServer server = TestServer.start(Map.of("parley.dev", "true"))) {
            HttpResponse<String> page = get(server, "/", null);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
            assertTrue(page.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            assertTrue(page.body().contains("import { Parley, describeState } from '/parley.js'"));
            assertEquals(200, get(server, "/parley.js", null).statusCode());
        }
    }

    private static HttpResponse<String> get(TestServer server, String path, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http(path)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return server.send(request);
    }

    private static String resource(String name) throws IllegalStateException {
        try (InputStream in = StaticFilesTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
