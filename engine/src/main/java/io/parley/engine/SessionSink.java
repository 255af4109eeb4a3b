package io.parley.engine;

import java.io.IOException;
import java.util.List;

/**
 * The transport side of a session: where its frames go. Implemented by each transport. A session calls it
 * from one writer at a time, never concurrently.
 */
public interface SessionSink {
    /**
     * Writes one frame; may block while the peer is slow (only this session's writer waits).
     *
     * @param frame the frame
     * @throws IOException when the connection is gone
     */
    void send(Frame frame) throws IOException;

    /**
     * Writes frames in order. The writer hands over everything queued at once, so a transport that can
     * should write them together (one socket write instead of one per frame); by default each frame is sent
     * on its own.
     *
     * @param frames the frames, at least one
     * @throws IOException when the connection is gone
     */
    default void send(List<Frame> frames) throws IOException {
        for (Frame frame : frames) {
            send(frame);
        }
    }

    /**
     * Sends a protocol-level ping where the transport has one (WebSocket); a keep-alive comment or nothing
     * elsewhere.
     *
     * @throws IOException when the connection is gone
     */
    void ping() throws IOException;

    /**
     * Ends the connection, telling the peer why where the transport can (WebSocket close code).
     *
     * @param reason why
     */
    void close(CloseReason reason);

    /** Drops the connection at once, without a goodbye (the peer stopped reading). */
    void terminate();
}
