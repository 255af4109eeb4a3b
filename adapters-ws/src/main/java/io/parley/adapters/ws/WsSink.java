package io.parley.adapters.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.parley.application.session.CloseReason;
import io.parley.application.session.Frame;
import io.parley.application.session.SessionSink;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a session's frames to a Helidon {@link WsSession}. Helidon's send is a blocking socket write and
 * not thread-safe; the session layer calls this sink from its single writer only.
 */
final class WsSink implements SessionSink {
    private static final System.Logger LOG = System.getLogger(WsSink.class.getName());

    private final WsSession ws;

    WsSink(WsSession ws) {
        this.ws = ws;
    }

    @Override
    public void send(Frame frame) throws IOException {
        try {
            ws.send(frame.text(), true);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void ping() throws IOException {
        try {
            ws.ping(BufferData.empty());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close(CloseReason reason) {
        try {
            ws.close(reason.code(), reason.text());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close frame not sent; the peer is gone", e);
        }
    }

    @Override
    public void terminate() {
        // Helidon 4.1.2 can only drop a connection from its own callbacks. A peer that stopped reading is
        // dropped by the server's idle-connection timeout (configured well above the heartbeat), which
        // also fails the blocked write and ends the writer.
        LOG.log(System.Logger.Level.DEBUG, "peer did not take its close frame in time; leaving it to the idle timeout");
    }
}
