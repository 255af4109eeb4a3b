package io.parley.domain;

/**
 * Why a request was refused. Every transport maps these codes one to one onto its own vocabulary
 * (protocol error code, HTTP status, WebSocket close code).
 */
public enum ErrorCode {
    /** Malformed or out-of-range input. */
    INVALID,
    /** Missing, invalid or expired credentials. */
    UNAUTHORIZED,
    /** The target exists but the caller may not act on it. */
    FORBIDDEN,
    /** The target does not exist (or the caller may not know that it does). */
    NOT_FOUND,
    /** A state conflict, such as creating something that exists already. */
    CONFLICT,
    /**
     * The embedding product's rules refused the content (a decision hook, such as a word filter); the message
     * says why, in words for the sender.
     */
    REJECTED,
    /** A value over its configured size limit. */
    TOO_LARGE,
    /** The caller sends faster than allowed. */
    RATE_LIMITED,
    /** A dependency (store, broker) is down or too slow; retrying later may work. */
    UNAVAILABLE,
    /** A bug. */
    INTERNAL;

    /** The protocol spelling of this code: lower case, as in {@code not_found}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
