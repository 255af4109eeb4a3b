package io.parley.bootstrap;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.parley.wire.RefusalLog;

import java.nio.charset.StandardCharsets;

/**
 * Answers an HTTP/1.0 request with what to fix. Helidon 4.1.2 speaks HTTP/1.1 only and answers 1.0 with a
 * bare "400 Bad request, see server log" while logging nothing at the default level; nginx talks HTTP/1.0
 * to its upstream unless told otherwise, so a plain {@code proxy_pass} broke every endpoint with no clue.
 * Now such a request gets {@code 505 HTTP Version Not Supported} and a JSON error naming the nginx line, and
 * the server log says so once a minute at most ({@link RefusalLog}: method and path without the query, which
 * may hold a token).
 * Every other bad request keeps Helidon's answer.
 */
final class Http10Refusal implements DirectHandler {
    static final String MESSAGE = "HTTP/1.0 is not supported: Parley speaks HTTP/1.1. Behind nginx, add "
            + "\"proxy_http_version 1.1;\" to the location that proxies to Parley.";
    private static final byte[] BODY = ("{\"error\":{\"code\":\"invalid\",\"message\":\"" + MESSAGE.replace("\"", "\\\"")
            + "\"}}").getBytes(StandardCharsets.UTF_8);

    private final DirectHandler fallback = DirectHandler.defaultHandler();
    private final RefusalLog refusals;

    Http10Refusal(RefusalLog refusals) {
        this.refusals = refusals;
    }

    /**
     * Helidon 4.1.2 reports a version it does not take with the whole request line as the "protocol", plus a
     * slash (the line may hold a token: never log it).
     */
    static boolean http10(String protocolVersion) {
        String version = protocolVersion.endsWith("/")
                ? protocolVersion.substring(0, protocolVersion.length() - 1) : protocolVersion;
        return version.endsWith("HTTP/1.0");
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, String message) {
        if (eventType != EventType.BAD_REQUEST || !http10(request.protocolVersion())) {
            return fallback.handle(request, eventType, defaultStatus, headers, message);
        }
        refusals.refused(505, "http_version_not_supported", request.method(), request.path(), "-",
                "a proxy in front of Parley talks HTTP/1.0 (nginx: set proxy_http_version 1.1)");
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(Status.HTTP_VERSION_NOT_SUPPORTED_505)
                .headers(headers)
                .keepAlive(false)
                .entity(BODY)
                .build();
    }
}
