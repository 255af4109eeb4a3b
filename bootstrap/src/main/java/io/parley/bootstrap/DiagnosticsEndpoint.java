package io.parley.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/diagnostics/echo}: what this request looked like when it reached Parley — protocol version,
 * method, path (never the query: it may hold a token), the peer's address, and each header's name with the
 * value of those a proxy is usually blamed for ({@code Host}, {@code Upgrade}, {@code Connection},
 * {@code Origin}, {@code X-Forwarded-*} …). Other headers, {@code Authorization} and {@code Cookie} among them,
 * show as {@code "(present)"}: their values are never echoed. {@code parley doctor} compares it with what it sent,
 * to tell a header the proxy dropped from one the client never sent. Off unless {@code parley.diagnostics} is
 * true ({@code PARLEY_DIAGNOSTICS=true}); off, it answers {@code 404 not_found} saying so.
 */
final class DiagnosticsEndpoint {
    static final String PATH = "/v1/diagnostics/echo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SHOWN = Set.of("host", "upgrade", "connection", "origin", "user-agent", "accept",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded",
            "via", "sec-websocket-version", "content-type", "accept-encoding");

    private DiagnosticsEndpoint() {
    }

    static void register(HttpRouting.Builder routing, boolean enabled) {
        routing.get(PATH, enabled ? DiagnosticsEndpoint::echo : DiagnosticsEndpoint::off);
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        ObjectNode body = JSON.createObjectNode();
        body.put("version", req.prologue().protocol() + "/" + req.prologue().protocolVersion());
        body.put("method", req.prologue().method().text());
        body.put("path", req.path().rawPath());
        body.put("remote", req.remotePeer().host());
        TreeMap<String, String> headers = new TreeMap<>();
        for (Header header : req.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            headers.put(name, SHOWN.contains(name) ? header.allValues(false).stream()
                    .map(DiagnosticsEndpoint::printable).reduce((a, b) -> a + ", " + b).orElse("") : "(present)");
        }
        ObjectNode received = body.putObject("headers");
        headers.forEach(received::put);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body.toString());
    }

    private static void off(ServerRequest req, ServerResponse res) {
        res.status(Status.NOT_FOUND_404);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send("{\"error\":{\"code\":\"not_found\",\"message\":\"the diagnostics endpoint is off; "
                + "PARLEY_DIAGNOSTICS=true turns it on\"}}");
    }

    /** At most 200 printable characters: a header value is not the place for a log injection. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 200; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return out.toString();
    }
}
