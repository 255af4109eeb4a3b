package io.parley.engine;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An encoded server event: the event, its wire text and that text's UTF-8 bytes, encoded once per node and
 * shared by every recipient. Transports write {@link #utf8()} as it is (WebSocket adds only its frame
 * header); nothing is encoded again per recipient.
 */
public final class Frame {
    private final ServerEvent event;
    private final String text;
    private final byte[] utf8;
    private final boolean ephemeral;
    /** A transport's framing of {@link #utf8}, made by the first recipient and shared by the rest. */
    private volatile Framed framed;

    private record Framed(UnaryOperator<byte[]> framing, byte[] bytes) {
    }

    /**
     * @param event the event it encodes
     * @param text  its encoded form
     */
    public Frame(ServerEvent event, String text) {
        this.event = Objects.requireNonNull(event, "event");
        this.text = Objects.requireNonNull(text, "text");
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
        this.ephemeral = event.ephemeral();
    }

    /**
     * @param event   the event
     * @param encoder the wire format (protocol v1's JSON)
     * @return the encoded frame
     */
    public static Frame encode(ServerEvent event, EventEncoder encoder) {
        return new Frame(event, encoder.encode(event));
    }

    /** @return the event */
    public ServerEvent event() {
        return event;
    }

    /** @return the wire text */
    public String text() {
        return text;
    }

    /**
     * @return the wire text as UTF-8, shared by every recipient: read it, never write to it
     */
    public byte[] utf8() {
        return utf8;
    }

    /**
     * The wire bytes wrapped in a transport's framing (a WebSocket frame header, say), made once per frame
     * and shared by every recipient on that transport: a delivery then writes them as they are, with no
     * copy per recipient. A frame caches one framing; another framing is computed on each call.
     *
     * @param framing a pure function of the UTF-8 bytes, the same instance for every call of a transport
     * @return the framed bytes: read them, never write to them
     */
    public byte[] framed(UnaryOperator<byte[]> framing) {
        Framed cached = framed;
        if (cached != null && cached.framing == framing) {
            return cached.bytes;
        }
        byte[] bytes = framing.apply(utf8);
        if (cached == null) {
            framed = new Framed(framing, bytes); // a race makes equal bytes twice; either copy is right
        }
        return bytes;
    }

    /** @return whether the frame may be dropped under back-pressure */
    public boolean ephemeral() {
        return ephemeral;
    }

    @Override
    public String toString() {
        return "Frame[" + text + "]";
    }
}
