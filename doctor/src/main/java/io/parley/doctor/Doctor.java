package io.parley.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code parley doctor URL}: probes a Parley deployment from the client's side, step by step, the way a browser
 * and the shipped client reach it, and names the cause and the fix of each failure, one line per step. Exit code
 * 0 when nothing failed, 1 otherwise, 2 for a usage error.
 *
 * <p>Steps: address (DNS), tcp, tls, http (a REST request over HTTP/1.1), health, client ({@code /parley.js}),
 * headers (what reached the server, from its diagnostics endpoint when enabled), websocket (the upgrade's answer),
 * frames (a {@code welcome} within the deadline), idle (the connection held past the heartbeat), sse (time to
 * the first event), long-poll (a poll held for its whole wait), mixed-content.
 */
public final class Doctor {
    static final String USAGE = """
            usage: parley doctor URL [--token JWT | --user ID] [--origin https://app.example.com] [--json]
                                     [--timeout SECONDS] [--poll-wait SECONDS] [--no-idle] [--cacert PEM]
              URL        where clients connect: https://chat.example.com, http://127.0.0.1:8080, or a prefix
                         (https://example.com/chat); a URL ending in /v1/ws is taken back to its prefix
              --token    an access token (without one, the steps that need a session are skipped)
              --user     make a token for this user with PARLEY_JWT_SECRET (bin/parley only)
              --origin   the page's origin, sent as Origin like a browser does
              --no-idle  skip holding a WebSocket past the heartbeat (saves about 30 s)""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final Target target;
    private final Tls tls;
    private final int timeoutMillis;

    /**
     * What to probe and how.
     *
     * @param url      where clients connect
     * @param token    an access token, if any
     * @param origin   the page's origin, if any
     * @param json     whether to print JSON instead of lines
     * @param timeout  the deadline of each request and of the first frames
     * @param pollWait the {@code wait} of the long-poll step, in seconds
     * @param idle     whether to hold a WebSocket past the heartbeat
     * @param cacert   a PEM file of certificates to trust, if any
     */
    public record Options(String url, Optional<String> token, Optional<String> origin, boolean json, Duration timeout,
                          int pollWait, boolean idle, Optional<Path> cacert) {
    }

    private Doctor(Options options) {
        this.options = options;
        this.target = Target.parse(options.url());
        this.tls = Tls.of(options.cacert());
        this.timeoutMillis = (int) options.timeout().toMillis();
    }

    /**
     * Runs {@code doctor} as a command.
     *
     * @param args   the arguments after {@code doctor}
     * @param out    where the report goes
     * @param tokens makes a token for {@code --user}; empty when this launcher cannot
     * @return the exit code
     */
    public static int main(String[] args, PrintStream out, Optional<Function<String, String>> tokens) {
        Options options;
        try {
            options = parse(args, tokens);
        } catch (IllegalArgumentException e) {
            out.println("doctor: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (options == null) {
            out.println(USAGE);
            return 0;
        }
        List<Check> checks;
        try {
            checks = run(options);
        } catch (IllegalArgumentException e) {
            out.println("doctor: " + e.getMessage());
            return 2;
        }
        if (options.json()) {
            out.println(json(checks));
        } else {
            out.println("parley doctor " + options.url());
            checks.forEach(check -> out.println(check.line()));
            long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
            out.println(failed == 0 ? "no failures" : failed + " failure(s): the first one is usually the cause");
        }
        return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL) ? 1 : 0;
    }

    /**
     * @param options what to probe
     * @return every step's outcome, in order
     */
    public static List<Check> run(Options options) {
        return new Doctor(options).diagnose();
    }

    static Options parse(String[] args, Optional<Function<String, String>> tokens) {
        String url = null;
        Optional<String> token = Optional.empty();
        Optional<String> origin = Optional.empty();
        boolean json = false;
        boolean idle = true;
        int timeout = 5;
        int pollWait = 25;
        Optional<Path> cacert = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--json" -> json = true;
                case "--no-idle" -> idle = false;
                case "--token", "--user", "--origin", "--timeout", "--poll-wait", "--cacert" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--token" -> token = Optional.of(value);
                        case "--user" -> token = Optional.of(tokens.orElseThrow(() -> new IllegalArgumentException(
                                "--user needs bin/parley (which signs with PARLEY_JWT_SECRET); give --token")).apply(value));
                        case "--origin" -> origin = Optional.of(value.replaceAll("/+$", ""));
                        case "--timeout" -> timeout = seconds(arg, value, 1, 120);
                        case "--poll-wait" -> pollWait = seconds(arg, value, 0, 300);
                        default -> cacert = Optional.of(Path.of(value));
                    }
                }
                default -> {
                    if (arg.startsWith("--") || url != null) {
                        throw new IllegalArgumentException("unknown argument " + arg);
                    }
                    url = arg;
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("the URL to probe is missing");
        }
        return new Options(url, token, origin, json, Duration.ofSeconds(timeout), pollWait, idle, cacert);
    }

    private static int seconds(String option, String value, int min, int max) {
        try {
            int seconds = Integer.parseInt(value.strip());
            if (seconds >= min && seconds <= max) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " takes whole seconds from " + min + " to " + max);
    }

    static String json(List<Check> checks) {
        ArrayNode array = JSON.createArrayNode();
        for (Check check : checks) {
            ObjectNode node = array.addObject();
            node.put("step", check.name());
            node.put("status", check.status().name().toLowerCase());
            node.put("detail", check.detail());
            check.fix().ifPresent(fix -> node.put("fix", fix));
        }
        return array.toString();
    }

    // ---- the steps ---------------------------------------------------------------------------------------

    private List<Check> diagnose() {
        List<Check> checks = new ArrayList<>();
        Check address = address();
        checks.add(address);
        if (address.status() == Check.Status.FAIL) {
            return checks;
        }
        Check tcp = tcp();
        checks.add(tcp);
        if (tcp.status() == Check.Status.FAIL) {
            return checks;
        }
        if (target.tls()) {
            Check handshake = tls();
            checks.add(handshake);
            if (handshake.status() == Check.Status.FAIL) {
                return checks;
            }
        }
        checks.add(http());
        checks.add(health());
        checks.add(client());
        checks.add(headers());
        Optional<Welcome> welcome = websocket(checks);
        CompletableFuture<Check> idle = CompletableFuture.supplyAsync(welcome.isPresent() && options.idle()
                ? () -> idle(welcome.get())
                : () -> Check.skip("idle", welcome.isEmpty() ? "no session on the WebSocket"
                : "--no-idle"));
        CompletableFuture<Check> sse = CompletableFuture.supplyAsync(this::sse);
        CompletableFuture<Check> poll = CompletableFuture.supplyAsync(this::longPoll);
        checks.add(idle.join());
        checks.add(sse.join());
        checks.add(poll.join());
        checks.add(mixedContent());
        welcome.ifPresent(w -> w.connection().close());
        return checks;
    }

    private Check address() {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(target.host());
            return Check.ok("address", target.host() + " is " + addresses[0].getHostAddress()
                    + (addresses.length > 1 ? " (+" + (addresses.length - 1) + " more)" : ""));
        } catch (UnknownHostException e) {
            return Check.fail("address", "cannot resolve " + target.host(),
                    "check the host name: a typo, or a name only another machine's DNS or /etc/hosts knows");
        }
    }

    private Check tcp() {
        long started = System.nanoTime();
        try (RawHttp ignored = RawHttp.open(new Target(target.original(), false, target.host(), target.port(),
                target.prefix()), tls, timeoutMillis)) {
            return Check.ok("tcp", "connected to " + target.host() + ":" + target.port() + " in " + millis(started) + " ms");
        } catch (ConnectException e) {
            return Check.fail("tcp", "connection refused at " + target.host() + ":" + target.port(),
                    "nothing listens there: start Parley (bin/parley serve and bin/parley dev listen on 8080 unless "
                            + "PARLEY_PORT says otherwise), or give the proxy's port (443, 80) rather than the "
                            + "upstream's, or the other way round");
        } catch (SocketTimeoutException | NoRouteToHostException e) {
            return Check.fail("tcp", "no answer from " + target.host() + ":" + target.port() + " within "
                    + options.timeout().toSeconds() + " s", "a firewall or security group drops the connection, or "
                    + "the host is wrong");
        } catch (IOException e) {
            return Check.fail("tcp", "cannot connect: " + e.getMessage(), "check the host and port");
        }
    }

    private Check tls() {
        try (RawHttp ignored = RawHttp.open(target, tls, timeoutMillis)) {
            return Check.ok("tls", "handshake with " + target.host() + " verified");
        } catch (SSLException e) {
            String message = String.valueOf(e.getMessage());
            String fix = message.contains("PKIX") || message.contains("unable to find valid certification path")
                    ? "the certificate is not trusted (self-signed or a private CA): install a certificate from a "
                    + "public CA, or give the CA with --cacert to check the rest"
                    : message.contains("No subject alternative") || message.contains("doesn't match")
                    ? "the certificate does not name " + target.host() + ": issue one that does"
                    : message.contains("plaintext") || message.contains("Unsupported or unrecognized SSL message")
                    ? "this port does not speak TLS: use http:// and ws://, or the TLS port (443)"
                    : "check the proxy's TLS configuration (certificate chain, protocols)";
            return Check.fail("tls", "TLS handshake failed: " + RawHttp.shorten(message), fix);
        } catch (IOException e) {
            return Check.fail("tls", "TLS handshake failed: " + e.getMessage(), "check the proxy's TLS configuration");
        }
    }

    private Check http() {
        Map<String, String> headers = new LinkedHashMap<>();
        options.token().ifPresent(token -> headers.put("Authorization", "Bearer " + token));
        options.origin().ifPresent(origin -> headers.put("Origin", origin));
        headers.put("Accept", "application/json");
        return request("http", "/v1/rooms", headers, response -> {
            if (response.status() == 200 && response.header("content-type").contains("json")) {
                return Check.ok("http", "GET " + target.prefix() + "/v1/rooms over HTTP/1.1: 200 from Parley");
            }
            if (response.status() == 401 && response.parleyError()) {
                return options.token().isEmpty()
                        ? Check.ok("http", "Parley answers over HTTP/1.1 (401 without a token, as it should)")
                        : Check.fail("http", "401: Parley refused the token: " + message(response),
                        "make a token for this server (its secret, issuer and audience), not an expired one or "
                                + "one for another server; if the proxy drops Authorization, see headers");
            }
            if (response.status() == 403 && response.parleyError()) {
                return Check.fail("http", "403: " + message(response), originFix());
            }
            return Check.fail("http", "GET " + target.prefix() + "/v1/rooms: " + response.status() + " "
                    + RawHttp.shorten(response.body()), "check that the URL reaches Parley");
        });
    }

    private Check health() {
        return request("health", "/observe/health/ready", Map.of("Accept", "application/json"), response -> {
            if (response.status() == 200 && response.body().contains("\"UP\"")) {
                return Check.ok("health", "/observe/health/ready: 200 UP (store and fan-out up)");
            }
            if (response.status() == 503 && response.body().contains("DOWN")) {
                return Check.fail("health", "/observe/health/ready: 503 DOWN " + RawHttp.shorten(response.body()),
                        "Parley cannot reach its store or fan-out: see its log");
            }
            return Check.warn("health", "/observe/health/ready: " + response.status() + " (not reached through "
                    + "this URL)", "let the load balancer reach /observe/health/ (or use Parley's port directly) "
                    + "so it can route only to ready nodes");
        });
    }

    private Check client() {
        return request("client", "/parley.js", Map.of(), response -> {
            if (response.status() == 200 && response.body().contains("Parley")) {
                return Check.ok("client", "/parley.js: 200");
            }
            return Check.warn("client", "/parley.js: " + response.status(), "proxy / (or /parley.js) to Parley too, "
                    + "or serve the client from your own assets");
        });
    }

    /** What reached the server, from its diagnostics endpoint: tells a dropped header from one never sent. */
    private Check headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        options.token().ifPresent(token -> headers.put("Authorization", "Bearer " + token));
        options.origin().ifPresent(origin -> headers.put("Origin", origin));
        return request("headers", "/v1/diagnostics/echo", headers, response -> {
            if (response.status() == 404 && response.parleyError()) {
                return Check.skip("headers", "the server's diagnostics endpoint is off "
                        + "(PARLEY_DIAGNOSTICS=true turns it on)");
            }
            if (response.status() != 200) {
                return Check.skip("headers", "diagnostics endpoint: " + response.status());
            }
            JsonNode echo;
            try {
                echo = JSON.readTree(response.body());
            } catch (IOException e) {
                return Check.skip("headers", "diagnostics endpoint: not JSON");
            }
            JsonNode received = echo.path("headers");
            List<String> problems = new ArrayList<>();
            if (options.token().isPresent() && !received.has("authorization")) {
                problems.add("Authorization was sent but did not arrive");
            }
            if (options.origin().isPresent() && !received.has("origin")) {
                problems.add("Origin was sent but did not arrive");
            }
            String seen = "server saw " + echo.path("version").asText("?") + " " + echo.path("path").asText("?")
                    + ", Host " + received.path("host").asText("-") + ", X-Forwarded-For "
                    + received.path("x-forwarded-for").asText("-") + ", X-Forwarded-Proto "
                    + received.path("x-forwarded-proto").asText("-");
            if (!problems.isEmpty()) {
                return Check.fail("headers", String.join("; ", problems) + " (" + seen + ")",
                        "the proxy drops them: pass them on (nginx passes both unless proxy_set_header clears them)");
            }
            if (target.tls() && !received.path("x-forwarded-proto").asText("").equals("https")) {
                return Check.warn("headers", seen, "TLS ends at the proxy: set X-Forwarded-Proto $scheme so Parley "
                        + "knows clients use https");
            }
            return Check.ok("headers", seen);
        });
    }

    /** A session on the WebSocket: its connection (still open) and its heartbeat. */
    private record Welcome(RawHttp connection, long heartbeatMillis) {
    }

    private Optional<Welcome> websocket(List<Check> checks) {
        Map<String, String> headers = new LinkedHashMap<>();
        options.origin().ifPresent(origin -> headers.put("Origin", origin));
        String path = "/v1/ws" + options.token().map(t -> "?access_token=" + encode(t)).orElse("");
        RawHttp connection = null;
        try {
            connection = RawHttp.open(target, tls, timeoutMillis);
            long deadline = deadline();
            RawHttp.Head head = WebSocketProbe.upgrade(connection, target, path, headers, deadline);
            if (head.status() != 101) {
                RawHttp.Response response = new RawHttp.Response(head, connection.body(head, deadline, 16 * 1024));
                checks.add(upgradeRefused(response));
                checks.add(Check.skip("frames", "no WebSocket"));
                connection.close();
                return Optional.empty();
            }
            if (!head.header("upgrade").equalsIgnoreCase("websocket")) {
                checks.add(Check.fail("websocket", "101 without Upgrade: websocket", Diagnosis.UPGRADE_HEADERS));
                connection.close();
                return Optional.empty();
            }
            checks.add(Check.ok("websocket", "101 Switching Protocols at " + target.ws("/v1/ws")));
            long started = System.nanoTime();
            WebSocketProbe.Frame frame = nextData(connection, deadline());
            if (frame.opcode() == WebSocketProbe.CLOSE) {
                checks.add(closedWith(frame));
                connection.close();
                return Optional.empty();
            }
            JsonNode welcome = JSON.readTree(frame.text());
            if (!"welcome".equals(welcome.path("type").asText())) {
                checks.add(Check.fail("frames", "first frame is not a welcome: " + RawHttp.shorten(frame.text()),
                        "something between the client and Parley rewrites frames"));
                connection.close();
                return Optional.empty();
            }
            long heartbeat = welcome.path("heartbeat_ms").asLong(25_000);
            checks.add(Check.ok("frames", "welcome after " + millis(started) + " ms (session "
                    + welcome.path("session").asText() + ", heartbeat " + heartbeat / 1000 + " s)"));
            return Optional.of(new Welcome(connection, heartbeat));
        } catch (SocketTimeoutException e) {
            checks.add(options.token().isEmpty() ? Check.fail("websocket", "no answer to the upgrade within "
                    + options.timeout().toSeconds() + " s", "check the proxy's timeouts and that it reaches Parley")
                    : Check.fail("frames", "no frame within " + options.timeout().toSeconds() + " s after the upgrade",
                    "the proxy upgraded the connection but holds frames back: pass WebSocket traffic unbuffered "
                            + "(nginx: " + Diagnosis.UPGRADE_HEADERS + ")"));
        } catch (IOException e) {
            checks.add(Check.fail("websocket", "the connection broke during the upgrade: " + e.getMessage(),
                    "the proxy dropped the upgraded connection: " + Diagnosis.UPGRADE_HEADERS));
        }
        if (connection != null) {
            connection.close();
        }
        return Optional.empty();
    }

    private Check upgradeRefused(RawHttp.Response response) {
        int status = response.status();
        if (status == 426 || status == 400 && !response.parleyError()) {
            return Check.fail("websocket", status + ": the Upgrade/Connection headers did not reach Parley",
                    Diagnosis.UPGRADE_HEADERS);
        }
        if (status == 401) {
            return options.token().isEmpty()
                    ? Check.skip("websocket", "401 without a token, as it should (give --token or --user to go on)")
                    : Check.fail("websocket", "401: the token was refused: " + message(response),
                    "make a token for this server; if REST accepts it, the proxy drops the query string");
        }
        if (status == 403) {
            return Check.fail("websocket", "403: " + message(response), originFix());
        }
        return Diagnosis.of("websocket", target, "/v1/ws", response).orElseGet(() -> Check.fail("websocket",
                status + " to the upgrade: " + RawHttp.shorten(response.body()), Diagnosis.UPGRADE_HEADERS));
    }

    private String originFix() {
        return options.origin().map(origin -> "allow the page's origin: PARLEY_ALLOWED_ORIGINS=" + origin
                + " (the exact scheme, host and port the browser sends)").orElse("allow the page's origin in "
                + "PARLEY_ALLOWED_ORIGINS");
    }

    private Check closedWith(WebSocketProbe.Frame close) {
        int code = close.closeCode();
        String reason = close.payload().length > 2
                ? new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8) : "";
        return Check.fail("frames", "closed at once with " + code + " " + reason, code == 4001
                ? "the token expired: make a fresh one" : "see the close code in docs/protocol.md");
    }

    /** The next text or close frame; pings are answered on the way. */
    private static WebSocketProbe.Frame nextData(RawHttp connection, long deadline) throws IOException {
        while (true) {
            WebSocketProbe.Frame frame = WebSocketProbe.next(connection, deadline);
            if (frame.opcode() == WebSocketProbe.PING) {
                WebSocketProbe.send(connection, WebSocketProbe.PONG, frame.payload());
            } else if (frame.opcode() == WebSocketProbe.TEXT || frame.opcode() == WebSocketProbe.CLOSE) {
                return frame;
            }
        }
    }

    /** Holds the WebSocket past the heartbeat: a proxy whose idle timeout is shorter cuts it first. */
    private Check idle(Welcome welcome) {
        long holdMillis = welcome.heartbeatMillis() + Math.max(2_000, welcome.heartbeatMillis() / 5);
        long started = System.nanoTime();
        long end = started + holdMillis * 1_000_000;
        try {
            while (System.nanoTime() - end < 0) {
                WebSocketProbe.Frame frame;
                try {
                    frame = nextData(welcome.connection(), end);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (frame.opcode() == WebSocketProbe.CLOSE) {
                    return Check.fail("idle", "closed with " + frame.closeCode() + " after " + seconds(started)
                            + " s idle", "see the close code in docs/protocol.md");
                }
            }
            WebSocketProbe.close(welcome.connection());
            return Check.ok("idle", "held " + seconds(started) + " s, past the " + welcome.heartbeatMillis() / 1000
                    + " s heartbeat");
        } catch (EOFException e) {
            return Check.fail("idle", "the connection was cut after " + seconds(started) + " s idle (heartbeat "
                    + welcome.heartbeatMillis() / 1000 + " s)", "the proxy's idle timeout is shorter than Parley's "
                    + "heartbeat: raise it (nginx proxy_read_timeout and proxy_send_timeout 3600s; HAProxy "
                    + "timeout tunnel 1h)");
        } catch (IOException e) {
            return Check.fail("idle", "the connection broke after " + seconds(started) + " s idle: " + e.getMessage(),
                    "raise the proxy's idle timeout above Parley's heartbeat");
        }
    }

    private Check sse() {
        if (options.token().isEmpty()) {
            return Check.skip("sse", "needs a token");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Accept-Encoding", "gzip, deflate"); // as browsers send it: compression is a usual culprit
        options.origin().ifPresent(origin -> headers.put("Origin", origin));
        long started = System.nanoTime();
        try (RawHttp connection = RawHttp.open(target, tls, timeoutMillis)) {
            connection.send(target, "GET", "/v1/events?access_token=" + encode(options.token().get()), headers);
            long deadline = deadline();
            RawHttp.Head head = connection.head(deadline);
            if (head.status() != 200) {
                RawHttp.Response response = new RawHttp.Response(head, connection.body(head, deadline, 16 * 1024));
                return Diagnosis.of("sse", target, "/v1/events", response).orElseGet(() -> Check.fail("sse",
                        head.status() + " " + RawHttp.shorten(response.body()), "check the proxy's /v1/events route"));
            }
            if (!head.header("content-type").startsWith("text/event-stream")) {
                return Check.fail("sse", "200 but " + head.header("content-type"), "route /v1/events to Parley");
            }
            EventStreamReader events = new EventStreamReader(connection, head);
            String encoding = head.header("content-encoding");
            if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
                events.next(deadline);
                return Check.warn("sse", "first bytes after " + millis(started) + " ms, compressed (" + encoding
                        + ")", "exclude text/event-stream from compression (nginx: gzip_types without it): a "
                        + "compressing proxy may hold events until its buffer fills");
            }
            while (true) {
                String line = events.line(deadline);
                if (line.startsWith("data:") && line.contains("\"welcome\"")) {
                    long ms = millis(started);
                    return ms > 2_000
                            ? Check.warn("sse", "first event after " + ms + " ms", "something delays the stream")
                            : Check.ok("sse", "first event after " + ms + " ms");
                }
            }
        } catch (SocketTimeoutException e) {
            return Check.fail("sse", "no event within " + options.timeout().toSeconds() + " s: the stream is held back",
                    "the proxy buffers or compresses it: proxy_buffering off; for /v1/events (Parley sends "
                            + "X-Accel-Buffering: no, which nginx honours unless proxy_ignore_headers drops it), and "
                            + "no gzip for text/event-stream");
        } catch (IOException e) {
            return Check.fail("sse", "the stream broke: " + e.getMessage(), "check the proxy's /v1/events route");
        }
    }

    private Check longPoll() {
        if (options.token().isEmpty()) {
            return Check.skip("long-poll", "needs a token");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + options.token().get());
        options.origin().ifPresent(origin -> headers.put("Origin", origin));
        String cursor;
        try (RawHttp connection = RawHttp.open(target, tls, timeoutMillis)) {
            connection.send(target, "GET", "/v1/poll", headers);
            RawHttp.Response opened = connection.response(deadline(), 64 * 1024);
            if (opened.status() != 200) {
                return Diagnosis.of("long-poll", target, "/v1/poll", opened).orElseGet(() -> Check.fail("long-poll",
                        opened.status() + " " + RawHttp.shorten(opened.body()), "check the proxy's /v1/poll route"));
            }
            cursor = JSON.readTree(opened.body()).path("cursor").asText();
        } catch (IOException e) {
            return Check.fail("long-poll", "opening a poll session failed: " + e.getMessage(),
                    "check the proxy's /v1/poll route");
        }
        long started = System.nanoTime();
        try (RawHttp connection = RawHttp.open(target, tls, timeoutMillis)) {
            connection.send(target, "GET", "/v1/poll?wait=" + options.pollWait() + "&cursor=" + encode(cursor), headers);
            RawHttp.Response answer = connection.response(started + (options.pollWait() + 15L) * 1_000_000_000L,
                    64 * 1024);
            long held = seconds(started);
            if (answer.status() == 200) {
                return held + 1 >= options.pollWait()
                        ? Check.ok("long-poll", "held " + held + " s of a " + options.pollWait() + " s wait")
                        : Check.ok("long-poll", "answered after " + held + " s with events");
            }
            return Diagnosis.of("long-poll", target, "/v1/poll", answer)
                    .map(check -> answer.status() == 504 ? Check.fail("long-poll", "504 after " + held + " s of a "
                            + options.pollWait() + " s wait: the proxy cut it", POLL_FIX) : check)
                    .orElseGet(() -> Check.fail("long-poll", answer.status() + " after " + held + " s",
                            POLL_FIX));
        } catch (IOException e) {
            return Check.fail("long-poll", "cut after " + seconds(started) + " s of a " + options.pollWait()
                    + " s wait (" + e.getMessage() + ")", POLL_FIX);
        }
    }

    private static final String POLL_FIX = "raise the proxy's read timeout above Parley's longest wait (30 s): "
            + "nginx proxy_read_timeout 3600s";

    private Check mixedContent() {
        boolean pageOnTls = options.origin().map(o -> o.startsWith("https://")).orElse(false);
        if (pageOnTls && !target.tls()) {
            return Check.fail("mixed-content", "a page on " + options.origin().get() + " cannot open "
                    + target.ws("/v1/ws") + " (browsers block ws:// and http:// from https pages)",
                    "serve Parley over TLS: wss://, usually through the same proxy as the page");
        }
        if (!target.tls() && !isLocal(target.host())) {
            return Check.warn("mixed-content", "plain ws:// and http:// to " + target.host(),
                    "pages on https cannot use it: put Parley behind TLS (wss://)");
        }
        return Check.ok("mixed-content", target.tls() ? "TLS: usable from https pages"
                : "plain HTTP on a local address (fine for development)");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Check request(String step, String path, Map<String, String> headers,
                          Function<RawHttp.Response, Check> judge) {
        try (RawHttp connection = RawHttp.open(target, tls, timeoutMillis)) {
            connection.send(target, "GET", path, headers);
            RawHttp.Response response = connection.response(deadline(), 256 * 1024);
            Optional<Check> known = Diagnosis.of(step, target, path, response);
            // Health, the client and the diagnostics endpoint are extras: not reaching them is the step's own
            // verdict (a warning), not a broken deployment.
            boolean extra = step.equals("headers") || step.equals("health") || step.equals("client");
            if (known.isPresent() && !(extra && (response.status() == 404 || response.status() == 200))) {
                return known.get();
            }
            return judge.apply(response);
        } catch (SocketTimeoutException e) {
            return Check.fail(step, "no answer to GET " + target.prefix() + path + " within "
                    + options.timeout().toSeconds() + " s", "check that the proxy reaches Parley");
        } catch (IOException e) {
            return Check.fail(step, "GET " + target.prefix() + path + " failed: " + e.getMessage(),
                    "check that the URL reaches Parley");
        }
    }

    private static String message(RawHttp.Response response) {
        try {
            return JSON.readTree(response.body()).path("error").path("message").asText(response.body());
        } catch (IOException e) {
            return RawHttp.shorten(response.body());
        }
    }

    private long deadline() {
        return System.nanoTime() + options.timeout().toNanos();
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static long seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean isLocal(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** Lines of an event stream's body, chunked or not. */
    private static final class EventStreamReader {
        private final RawHttp connection;
        private final boolean chunked;
        private int chunkLeft;

        EventStreamReader(RawHttp connection, RawHttp.Head head) {
            this.connection = connection;
            this.chunked = head.chunked();
        }

        String line(long deadline) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = next(deadline);
                if (b == '\n') {
                    return line.toString();
                }
                line.append((char) b);
            }
        }

        private int next(long deadline) throws IOException {
            if (!chunked) {
                return connection.read(deadline);
            }
            while (chunkLeft == 0) {
                String size = connection.line(deadline);
                if (size.isEmpty()) {
                    continue;
                }
                int semicolon = size.indexOf(';');
                chunkLeft = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).strip(), 16);
                if (chunkLeft == 0) {
                    throw new EOFException("the stream ended");
                }
            }
            chunkLeft--;
            return connection.read(deadline);
        }
    }
}
