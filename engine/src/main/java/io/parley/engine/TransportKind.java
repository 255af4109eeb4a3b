package io.parley.engine;

/**
 * How a session is connected, and what that transport can do.
 */
public enum TransportKind {
    /** A WebSocket: bidirectional, protocol-level pings. */
    WEBSOCKET("websocket", true),
    /** Server-sent events plus command POSTs. */
    SSE("sse", false),
    /** HTTP long-polling plus command POSTs. */
    LONG_POLL("long-poll", false);

    private final String wireName;
    private final boolean bidirectional;

    TransportKind(String wireName, boolean bidirectional) {
        this.wireName = wireName;
        this.bidirectional = bidirectional;
    }

    /** @return the protocol spelling used in {@code welcome} */
    public String wireName() {
        return wireName;
    }

    /** @return whether commands travel on the same connection as events */
    public boolean bidirectional() {
        return bidirectional;
    }
}
