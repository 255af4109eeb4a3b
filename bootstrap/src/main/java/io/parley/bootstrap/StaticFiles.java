package io.parley.bootstrap;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The browser files packaged from {@code clients/} as classpath resources under {@code static/}: the client
 * at {@code /parley.js} and {@code /parley.d.ts} and the OpenAPI document ({@code docs/openapi.yaml}) at
 * {@code /v1/openapi.yaml} in every profile, the demo chat page at {@code /} in dev mode only. Each file is
 * read once at start; responses carry a strong ETag and {@code Cache-Control: no-cache} (the paths are stable
 * across releases, so browsers revalidate and get 304 while nothing changed). The client and the document
 * carry {@code Access-Control-Allow-Origin: *}: they are public and hold no credentials, apps on other origins
 * import the client as a module, and API tools on other origins read the document.
 */
final class StaticFiles {
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    private StaticFiles() {
    }

    /**
     * Adds the routes.
     *
     * @param routing the server's HTTP routing
     * @param devMode whether the demo page is served
     */
    static void register(HttpRouting.Builder routing, boolean devMode) {
        // Pages on other origins import the client as a module, which browsers fetch with CORS.
        Asset client = Asset.load("static/parley.js", "text/javascript; charset=utf-8", true);
        Asset types = Asset.load("static/parley.d.ts", "application/typescript; charset=utf-8", true);
        routing.get("/parley.js", client::serve).head("/parley.js", client::serve);
        routing.get("/parley.d.ts", types::serve).head("/parley.d.ts", types::serve);
        Asset openApi = Asset.load("static/openapi.yaml", "application/yaml; charset=utf-8", true);
        routing.get("/v1/openapi.yaml", openApi::serve).head("/v1/openapi.yaml", openApi::serve);
        if (devMode) {
            Asset demo = Asset.load("static/demo/index.html", "text/html; charset=utf-8", false);
            routing.get("/", demo::serve).head("/", demo::serve);
            routing.get("/index.html", demo::serve).head("/index.html", demo::serve);
        }
    }

    /** One file, its content type, its ETag and whether any origin may read it. */
    private record Asset(String name, byte[] bytes, String contentType, String etag, boolean anyOrigin) {
        static Asset load(String name, String contentType, boolean anyOrigin) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + name + " is missing from the build");
                }
                byte[] bytes = in.readAllBytes();
                return new Asset(name, bytes, contentType, etag(bytes), anyOrigin);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }

        void serve(ServerRequest req, ServerResponse res) {
            res.header(HeaderNames.CONTENT_TYPE, contentType);
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.header(HeaderNames.ETAG, etag);
            res.header(NOSNIFF, "nosniff");
            res.header(REFERRER_POLICY, "no-referrer");
            if (anyOrigin) {
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            }
            boolean unchanged = req.headers().first(HeaderNames.IF_NONE_MATCH)
                    .map(value -> value.contains(etag) || value.strip().equals("*"))
                    .orElse(false);
            if (unchanged) {
                res.status(Status.NOT_MODIFIED_304).send();
            } else {
                res.send(bytes);
            }
        }

        private static String etag(byte[] bytes) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
