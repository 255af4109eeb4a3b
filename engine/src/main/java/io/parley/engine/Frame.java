package io.parley.engine;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

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

    /**
     * @param event the event
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
     * @param encoder the encoder
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

    /** @return whether the frame may be dropped under back-pressure */
    public boolean ephemeral() {
        return ephemeral;
    }

    @Override
    public String toString() {
        return "Frame[" + text + "]";
    }
}
