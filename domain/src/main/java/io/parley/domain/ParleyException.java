package io.parley.domain;

import java.util.Objects;

/**
 * An expected refusal: bad input, a missing room, a forbidden action, an unavailable store. Carries an
 * {@link ErrorCode} that transports map to their own error vocabulary; the message is safe to show to
 * the client (it never contains tokens or internal details).
 */
public class ParleyException extends RuntimeException {
    private final ErrorCode code;

    /**
     * A refusal with a code and a client-safe message.
     *
     * @param code    why
     * @param message what, for the client
     */
    public ParleyException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    /**
     * A refusal caused by another exception (kept for logs, never shown to the client).
     *
     * @param code    why
     * @param message what, for the client
     * @param cause   the underlying failure
     */
    public ParleyException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    /** @return why the request was refused */
    public ErrorCode code() {
        return code;
    }

    /** @return an {@link ErrorCode#INVALID} refusal */
    public static ParleyException invalid(String message) {
        return new ParleyException(ErrorCode.INVALID, message);
    }

    /** @return an {@link ErrorCode#FORBIDDEN} refusal */
    public static ParleyException forbidden(String message) {
        return new ParleyException(ErrorCode.FORBIDDEN, message);
    }

    /** @return an {@link ErrorCode#NOT_FOUND} refusal */
    public static ParleyException notFound(String message) {
        return new ParleyException(ErrorCode.NOT_FOUND, message);
    }

    /** @return a {@link ErrorCode#TOO_LARGE} refusal */
    public static ParleyException tooLarge(String message) {
        return new ParleyException(ErrorCode.TOO_LARGE, message);
    }
}
