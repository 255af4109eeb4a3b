package io.parley.adapters.ssepolling;

import io.parley.engine.CloseReason;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the {@code text/event-stream} format by hand (Helidon 4.1.2 has no SSE server module here): one
 * {@code data:} line per event (protocol JSON never contains a line break), an {@code id:} line for
 * durable events, {@code retry:}, comments, and the named {@code close} event. Tells the slot when a write
 * is under way, so that a write blocked by a peer that stopped reading can be noticed.
 */
final class SseWriter {
    private final OutputStream out;
    private final Readers.Slot slot;
    private final StringBuilder pending = new StringBuilder(256);

    SseWriter(OutputStream out, Readers.Slot slot) {
        this.out = out;
        this.slot = slot;
    }

    void retry(long millis) {
        pending.append("retry: ").append(millis).append("\n\n");
    }

    void event(String id, String data) {
        pending.append("id: ").append(id).append('\n');
        data(data);
    }

    void data(String data) {
        pending.append("data: ").append(data).append("\n\n");
    }

    void comment(String text) {
        pending.append(": ").append(text).append("\n\n");
    }

    /** The server ends the stream: a named event, so that {@code onmessage} handlers do not see it. */
    void close(CloseReason reason) throws IOException {
        pending.append("event: close\ndata: {\"type\":\"close\",\"code\":").append(reason.code())
                .append(",\"reason\":\"").append(reason.text())
                .append("\",\"reconnect\":").append(reason.reconnect()).append("}\n\n");
        flush();
    }

    /** Writes what is pending and pushes it to the client. */
    void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        slot.writing();
        try {
            out.write(bytes);
            out.flush();
        } finally {
            slot.written();
        }
    }
}
