package io.parley.wire;

import io.parley.domain.ErrorCode;

/** The HTTP status protocol v1 gives each error code on REST and the HTTP transports. */
public final class HttpStatuses {
    private HttpStatuses() {
    }

    /**
     * @param code the error code
     * @return its HTTP status
     */
    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case REJECTED -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
