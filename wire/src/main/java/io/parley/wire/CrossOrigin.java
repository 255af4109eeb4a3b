package io.parley.wire;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CORS headers of Parley's HTTP endpoints (SSE, long-poll, commands and REST), so that a page on
 * another allowed origin can call them with {@code fetch} and {@code EventSource}. Which origins are allowed
 * is {@link HttpAccess#originAllowed}'s decision, the same for every transport; this class only spells the
 * answer. Credentials (cookies) are never allowed: Parley authenticates with a bearer token or
 * {@code access_token}, which a page sends explicitly.
 */
public final class CrossOrigin {
    /** Methods a preflight of the SSE, poll and command endpoints allows. */
    public static final String STREAM_METHODS = "GET, POST, OPTIONS";
    /** Methods a preflight of the REST endpoints allows. */
    public static final String REST_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID";
    private static final String MAX_AGE_SECONDS = "600";

    private CrossOrigin() {
    }

    /**
     * Admits a request by its origin.
     *
     * @param access the allow-list
     * @param origin the request's {@code Origin} header, if any
     * @return the {@link #responseHeaders response headers} to add
     * @throws ParleyException {@link ErrorCode#FORBIDDEN} when a browser page from that origin may not call
     */
    public static Map<String, String> admit(HttpAccess access, Optional<String> origin) {
        if (!access.originAllowed(origin)) {
            throw ParleyException.forbidden("origin not allowed");
        }
        return responseHeaders(origin);
    }

    /**
     * The headers of a response to a request from an allowed origin. A cache must not give one origin's
     * answer to another, hence {@code Vary: Origin}.
     *
     * @param origin the request's {@code Origin} header, if any (none: not a cross-origin browser request)
     * @return header names and values to add, in order; empty without an origin
     */
    public static Map<String, String> responseHeaders(Optional<String> origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        origin.ifPresent(value -> {
            headers.put("Access-Control-Allow-Origin", value);
            headers.put("Vary", "Origin");
        });
        return headers;
    }

    /**
     * The headers a {@code 204} answer to a preflight ({@code OPTIONS}) from an allowed origin adds to the
     * {@link #responseHeaders response headers}.
     *
     * @param methods the methods the path allows ({@link #STREAM_METHODS} or {@link #REST_METHODS})
     * @return header names and values to add, in order
     */
    public static Map<String, String> preflightHeaders(String methods) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Methods", methods);
        headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        return headers;
    }
}
