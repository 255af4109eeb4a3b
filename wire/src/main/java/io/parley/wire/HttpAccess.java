package io.parley.wire;

import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may open a connection or call an endpoint, as protocol v1 states it for every HTTP transport: a JWT
 * as {@code Authorization: Bearer …} or, since browsers cannot set headers on WebSocket or EventSource,
 * as the {@code access_token} query parameter; and, for WebSocket and SSE, an {@code Origin} on the
 * allow-list (CORS does not protect WebSocket: a page on any site may open one with the user's cookies,
 * so the server must check the Origin itself).
 *
 * <p>A request without an {@code Origin} header is allowed: browsers always send one on WebSocket and
 * cross-origin requests, so its absence means a non-browser client, which a bearer token authenticates.
 */
public final class HttpAccess {
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;
    private final List<String> allowedOrigins;
    private final boolean anyOrigin;

    private HttpAccess(TokenVerifier verifier, List<String> allowedOrigins) {
        this.verifier = Objects.requireNonNull(verifier);
        this.anyOrigin = allowedOrigins.contains("*");
        this.allowedOrigins = allowedOrigins.stream().map(HttpAccess::normalise).toList();
    }

    /**
     * @param verifier       token verifier
     * @param allowedOrigins exact origins ({@code https://chat.example.com}); {@code *} allows any (dev only)
     * @return the access rules
     */
    public static HttpAccess create(TokenVerifier verifier, List<String> allowedOrigins) {
        return new HttpAccess(verifier, List.copyOf(allowedOrigins));
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the {@code Authorization} header, if any
     * @param accessToken   the {@code access_token} query parameter, if any
     * @return the verified token
     * @throws ParleyException {@link ErrorCode#UNAUTHORIZED} when no valid token is present
     */
    public TokenVerifier.VerifiedToken authenticate(Optional<String> authorization, Optional<String> accessToken) {
        Optional<String> token = authorization
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).strip())
                .or(() -> accessToken.map(String::strip))
                .filter(value -> !value.isEmpty());
        if (token.isEmpty()) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "missing token: send Authorization: Bearer <jwt> "
                    + "or access_token");
        }
        return verifier.verify(token.get());
    }

    /**
     * @param origin the {@code Origin} header, if any
     * @return whether a browser page from that origin may connect
     */
    public boolean originAllowed(Optional<String> origin) {
        if (origin.isEmpty() || anyOrigin) {
            return true;
        }
        return allowedOrigins.contains(normalise(origin.get()));
    }

    private static String normalise(String origin) {
        String trimmed = origin.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
