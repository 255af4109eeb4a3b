package io.parley.adapters.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;
import io.parley.engine.CloseReason;
import io.parley.engine.Frame;
import io.parley.engine.SessionSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes a session's frames to a Helidon WebSocket connection, called by the holder of the session's write
 * claim (one thread at a time).
 *
 * <p>Data frames do not go through {@link WsSession#send(String, boolean)}, which encodes the text to UTF-8
 * again for every recipient and makes one socket write per frame. The sink frames the event's shared UTF-8
 * bytes itself (server frames are unmasked: a 2–10 byte header, then the payload) and hands everything
 * the writer has queued to the connection's {@link DataWriter} as <em>one</em> write. A single frame, the
 * common delivery, is framed once per event ({@link Frame#framed}) and that array is written as it is for
 * every recipient. Each write is a
 * whole number of frames and one call into the socket, which writes it under its own lock, so it never
 * interleaves with the control frames Helidon writes itself (the close handshake). Pings and closes use
 * Helidon's API.
 *
 * <p>Whether a write will not block is known from the client's answers to marks appended to the data
 * ({@link WriteCredit}).
 */
final class WsSink implements SessionSink {
    private static final System.Logger LOG = System.getLogger(WsSink.class.getName());
    private static final int OPCODE_TEXT_FINAL = 0x81;
    private static final int OPCODE_PING_FINAL = 0x89;
    private static final int MARK_FRAME_BYTES = 2 + Long.BYTES;
    private static final UnaryOperator<byte[]> TEXT_FRAME = WsSink::textFrame;

    private final WsSession ws;
    private final ConnectionContext connection;
    private final WriteCredit credit = new WriteCredit();

    WsSink(WsSession ws) {
        this.ws = ws;
        // Helidon's server-side WebSocket session is its connection context (WsConnection.socketContext()).
        this.connection = (ConnectionContext) ws.socketContext();
    }

    @Override
    public int writableBytes() {
        return credit.writable();
    }

    /**
     * A pong arrived: if it answers a mark, everything written before that mark has been read.
     *
     * @param payload the pong's payload
     */
    void pong(BufferData payload) {
        if (payload.available() == Long.BYTES) { // else an answer to a heartbeat ping, or not ours
            long nonce = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                nonce = (nonce << 8) | payload.read();
            }
            credit.answered(nonce);
        }
    }

    @Override
    public void send(Frame frame) throws IOException {
        send(List.of(frame));
    }

    @Override
    public void send(List<Frame> frames) throws IOException {
        int size = 0;
        for (Frame frame : frames) {
            int length = frame.utf8().length;
            size += headerLength(length) + length;
        }
        boolean mark = credit.markAfter(size);
        byte[] out;
        if (frames.size() == 1 && !mark) {
            // The common delivery: the event's frame, made once per node, written as it is.
            out = frames.getFirst().framed(TEXT_FRAME);
        } else {
            out = new byte[mark ? size + MARK_FRAME_BYTES : size];
            int at = 0;
            for (Frame frame : frames) {
                at = writeFrame(out, at, frame.utf8());
            }
            if (mark) {
                long nonce = credit.newMark();
                out[at++] = (byte) OPCODE_PING_FINAL;
                out[at++] = Long.BYTES;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out[at++] = (byte) (nonce >>> shift);
                }
            }
        }
        try {
            connection.dataWriter().writeNow(BufferData.create(out));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            // Helidon's SocketWriterException and friends: the socket is closed or broken.
            throw new IOException("write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void ping() throws IOException {
        try {
            ws.ping(BufferData.empty());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException("ping not sent: " + e.getMessage(), e);
        }
    }

    @Override
    public void closing() {
        credit.stop();
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
        try {
            // Closing the socket fails the blocked write of the writer and Helidon's read; Helidon then
            // releases the connection as it does for any peer that went away.
            connection.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection already gone", e);
        }
    }

    /** A final text frame around a payload (RFC 6455 §5.2, unmasked). */
    static byte[] textFrame(byte[] payload) {
        byte[] out = new byte[headerLength(payload.length) + payload.length];
        writeFrame(out, 0, payload);
        return out;
    }

    private static int writeFrame(byte[] out, int at, byte[] payload) {
        int start = writeHeader(out, at, payload.length);
        System.arraycopy(payload, 0, out, start, payload.length);
        return start + payload.length;
    }

    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10;
    }

    /** Writes a final text frame's header (RFC 6455 §5.2, unmasked) at {@code at}; returns where the payload goes. */
    static int writeHeader(byte[] out, int at, int payloadLength) {
        out[at++] = (byte) OPCODE_TEXT_FINAL;
        if (payloadLength < 126) {
            out[at++] = (byte) payloadLength;
        } else if (payloadLength < 65_536) {
            out[at++] = 126;
            out[at++] = (byte) (payloadLength >>> 8);
            out[at++] = (byte) payloadLength;
        } else {
            out[at++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) payloadLength >>> shift);
            }
        }
        return at;
    }
}
