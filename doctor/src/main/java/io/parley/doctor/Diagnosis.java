package io.parley.doctor;

import java.util.Optional;

/**
 * What an HTTP answer that is not the expected one says about the deployment: the causes field reports keep
 * finding behind a proxy, each with its fix. Shared by every step that makes a request.
 */
final class Diagnosis {
    static final String UPGRADE_HEADERS = "pass the upgrade to Parley: in nginx, proxy_http_version 1.1; "
            + "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\"; "
            + "(deploy/nginx/parley.conf)";
    static final String HTTP10 = "the proxy talks HTTP/1.0 to Parley: add proxy_http_version 1.1; to its location";

    private Diagnosis() {
    }

    /**
     * @param step     the step's name
     * @param target   the deployment
     * @param path     the path asked for (under the prefix)
     * @param response the answer
     * @return a failure naming the cause, when the answer is one of the known wrong ones
     */
    static Optional<Check> of(String step, Target target, String path, RawHttp.Response response) {
        int status = response.status();
        String location = response.header("location");
        if (status >= 300 && status < 400) {
            return Optional.of(Check.fail(step, status + " redirect to " + (location.isEmpty() ? "(no Location)" : location),
                    "use the URL it redirects to: browsers do not follow redirects of a WebSocket upgrade, and an "
                            + "EventSource or fetch may lose its Authorization header on the way"
                            + (location.startsWith("https://") && !target.tls() ? " (here: https:// and wss://)" : "")));
        }
        if (status == 400 && response.body().toLowerCase().contains("http request was sent to https port")) {
            return Optional.of(Check.fail(step, "400: this port speaks TLS", "use https:// (and wss://) for this port"));
        }
        if (status == 505) {
            return Optional.of(Check.fail(step, "505 HTTP Version Not Supported", HTTP10));
        }
        if (status == 502) {
            return Optional.of(Check.fail(step, "502 Bad Gateway: the proxy could not reach Parley",
                    "start Parley, or point the proxy at the port it listens on (8080 unless PARLEY_PORT says "
                            + "otherwise): in nginx, the upstream's server line or proxy_pass"));
        }
        if (status == 504) {
            return Optional.of(Check.fail(step, "504 Gateway Timeout: the proxy gave up waiting for Parley",
                    "check that Parley answers directly; raise the proxy's read timeout (nginx proxy_read_timeout) "
                            + "above Parley's heartbeat and long-poll wait (25-30 s)"));
        }
        if (status == 503 && !response.parleyError()) {
            return Optional.of(Check.fail(step, "503 from the proxy: no upstream available",
                    "start Parley, or wait for its readiness (/observe/health/ready) before sending traffic"));
        }
        if (status == 200 && response.html() && !path.endsWith(".js")) {
            return Optional.of(Check.fail(step, "200 with an HTML page: something other than Parley answered "
                            + target.prefix() + path + " (a single-page app's fallback, a default site)",
                    "route " + (target.prefix().isEmpty() ? "" : target.prefix()) + "/v1/ to Parley ahead of the "
                            + "catch-all location"));
        }
        if (status == 404 && !response.parleyError()) {
            return Optional.of(Check.fail(step, "404 from something that is not Parley at " + target.prefix() + path,
                    "the location prefix does not reach Parley: make the proxy's location match the URL's path, "
                            + "and proxy_pass without a URI part (proxy_pass http://parley;) so the path reaches "
                            + "Parley unchanged"));
        }
        if (status == 404) {
            return Optional.of(Check.fail(step, "Parley answered 404 for " + target.prefix() + path,
                    "the proxy rewrites the path (a proxy_pass with a URI part strips or adds a prefix): Parley's "
                            + "endpoints are /v1/..., /parley.js and /observe/..."));
        }
        return Optional.empty();
    }
}
