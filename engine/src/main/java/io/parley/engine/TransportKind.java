package io.parley.engine;

/**
 * How a session is connected, and what that transport can do. The engine serves a session by these
 * capabilities, not by name: a bidirectional transport that holds its connection gets a live session
 * ({@link SessionHub#open}: a queue and a writer, commands on the same connection); one that is not, or that
 * reconnects per answer, gets a resumable session ({@link io.parley.engine.resumable.ResumableHub}: a cursor
 * that outlives the connection, commands posted beside it).
 */
public enum TransportKind {
    /** A WebSocket: bidirectional, protocol-level pings. */
    WEBSOCKET("websocket", true, false),
    /** Server-sent events plus command POSTs; a stream resumes from its last event id. */
    SSE("sse", false, true),
    /** HTTP long-polling plus command POSTs; each poll resumes from its cursor. */
    LONG_POLL("long-poll", false, true);

    private final String wireName;
    private final boolean bidirectional;
    private final boolean resumable;

    TransportKind(String wireName, boolean bidirectional, boolean resumable) {
        this.wireName = wireName;
        this.bidirectional = bidirectional;
        this.resumable = resumable;
    }

    /** @return the protocol spelling used in {@code welcome} */
    public String wireName() {
        return wireName;
    }

    /** @return whether commands travel on the same connection as events */
    public boolean bidirectional() {
        return bidirectional;
    }

    /** @return whether the session outlives the connection and resumes from a cursor the client holds */
    public boolean resumable() {
        return resumable;
    }
}
