package io.parley.engine;

import java.io.IOException;
import java.util.List;

/**
 * The transport side of a session: where its frames go. Implemented by each transport. A session calls its
 * writing methods from one thread at a time, never concurrently: the holder of the session's write claim,
 * which is either a thread delivering an event (when {@link #writableBytes()} said the write will not
 * block) or the session's drain.
 */
public interface SessionSink {
    /**
     * How many bytes the connection is known to take now without blocking the writer: what a thread that
     * delivers an event to many sessions may write itself instead of waking a drain. A transport that
     * cannot tell answers 0 (the default), and every write goes through the session's drain. May be called
     * from any thread.
     *
     * @return bytes that can be written at once without blocking, 0 when unknown
     */
    default int writableBytes() {
        return 0;
    }

    /**
     * Writes one frame; may block while the peer is slow (only the session's drain waits then).
     *
     * @param frame the encoded event, the same object for every recipient
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
     * The session is ending: the frames still to be sent are its last, and {@link #close} follows them.
     * Called once, from any thread, before those frames are written.
     */
    default void closing() {
    }

    /**
     * Ends the connection, telling the peer why where the transport can (WebSocket close code).
     *
     * @param reason why
     */
    void close(CloseReason reason);

    /** Drops the connection at once, without a goodbye (the peer stopped reading). */
    void terminate();
}
