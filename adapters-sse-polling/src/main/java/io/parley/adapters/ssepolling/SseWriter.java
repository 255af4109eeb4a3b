package io.parley.adapters.ssepolling;

import io.parley.engine.CloseReason;
import io.parley.engine.resumable.ReaderSlot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the {@code text/event-stream} format by hand (Helidon 4.1.2 has no SSE server module here): one
 * {@code data:} line per event (protocol JSON never contains a line break), an {@code id:} line for
 * durable events, {@code retry:}, comments, and the named {@code close} event. Events arrive as the
 * node's shared UTF-8 bytes ({@link io.parley.engine.Frame#utf8()}) and are copied once, into a buffer
 * this stream reuses; nothing is encoded per stream but the cursor. Tells the slot when a write
 * is under way, so that a write blocked by a peer that stopped reading can be noticed.
 */
final class SseWriter {
    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA = ascii("data: ");
    private static final byte[] END = ascii("\n\n");

    private final OutputStream out;
    private final ReaderSlot slot;
    private byte[] pending = new byte[1024];
    private int length;
    private long events;

    SseWriter(OutputStream out, ReaderSlot slot) {
        this.out = out;
        this.slot = slot;
    }

    void retry(long millis) {
        append(ascii("retry: " + millis + "\n\n"));
    }

    /** A durable event: its cursor, then its shared UTF-8 bytes, copied once into this stream's buffer. */
    void event(String id, byte[] data) {
        append(ID);
        appendAscii(id);
        append((byte) '\n');
        data(data);
    }

    /** A durable event whose cursor is the first {@code idLength} ASCII bytes of {@code id}. */
    void event(byte[] id, int idLength, byte[] data) {
        append(ID);
        ensure(idLength + 1);
        System.arraycopy(id, 0, pending, length, idLength);
        length += idLength;
        pending[length++] = '\n';
        data(data);
    }

    void data(byte[] data) {
        events++;
        append(DATA);
        append(data);
        append(END);
    }

    /** @return how many events were handed to this stream */
    long events() {
        return events;
    }

    void comment(String text) {
        append(ascii(": " + text + "\n\n"));
    }

    /** The server ends the stream: a named event, so that {@code onmessage} handlers do not see it. */
    void close(CloseReason reason) throws IOException {
        append(("event: close\ndata: {\"type\":\"close\",\"code\":" + reason.code() + ",\"reason\":\""
                + reason.text() + "\",\"reconnect\":" + reason.reconnect() + "}\n\n").getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /** Writes what is pending and pushes it to the client. */
    void flush() throws IOException {
        if (length == 0) {
            return;
        }
        slot.writing();
        try {
            out.write(pending, 0, length);
            out.flush();
        } finally {
            length = 0;
            slot.written();
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, pending, length, bytes.length);
        length += bytes.length;
    }

    private void append(byte b) {
        ensure(1);
        pending[length++] = b;
    }

    /** Cursors and comments are ASCII (base64url): one byte per char, no encoder. */
    private void appendAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            pending[length++] = (byte) text.charAt(i);
        }
    }

    private void ensure(int more) {
        if (length + more > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + more));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
