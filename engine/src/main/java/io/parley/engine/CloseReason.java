package io.parley.engine;

/**
 * Why the server ends a session, with the WebSocket close code that says so. Codes below 4000 are the
 * standard ones; 4000–4999 are Parley's own. {@link #reconnect()} tells whether a client should reconnect
 * (and resume by seq) or stop.
 */
public enum CloseReason {
    /** Normal closure. */
    NORMAL(1000, false, "bye"),
    /** The server is shutting down or draining: reconnect to any node and resume. */
    GOING_AWAY(1001, true, "server going away"),
    /** A policy violation after the upgrade. */
    POLICY_VIOLATION(1008, false, "policy violation"),
    /** The server is restarting and takes no new sessions: connect again (another node will). */
    TRY_AGAIN_LATER(1013, true, "server restarting, connect again"),
    /** A frame over the size limit. */
    TOO_BIG(1009, false, "frame too large"),
    /** The peer stayed silent for two heartbeat intervals: reconnect and resume. */
    HEARTBEAT_TIMEOUT(4000, true, "heartbeat timeout"),
    /** The token is missing, invalid or expired: get a new one, then reconnect. */
    TOKEN_EXPIRED(4001, true, "token expired"),
    /** The user's tokens were revoked by the product's backend: a new token is needed (same code as expiry). */
    TOKEN_REVOKED(4001, true, "token revoked"),
    /** The product's backend ended the user's sessions: reconnect (with a fresh token). */
    DISCONNECTED(4002, true, "disconnected by the server"),
    /** Forbidden. */
    FORBIDDEN(4003, false, "forbidden"),
    /** The session's outbound queue overflowed: reconnect and resume. */
    SLOW_CONSUMER(4008, true, "slow consumer"),
    /** Too many commands: back off, then reconnect. */
    RATE_LIMITED(4029, true, "rate limited");

    private final int code;
    private final boolean reconnect;
    private final String text;

    CloseReason(int code, boolean reconnect, String text) {
        this.code = code;
        this.reconnect = reconnect;
        this.text = text;
    }

    /** @return the WebSocket close code */
    public int code() {
        return code;
    }

    /** @return whether the client should reconnect */
    public boolean reconnect() {
        return reconnect;
    }

    /** @return a short reason phrase */
    public String text() {
        return text;
    }
}
