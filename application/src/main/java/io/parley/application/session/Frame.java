package io.parley.application.session;

import java.util.Objects;

/**
 * An encoded server event: the event and its wire text, encoded once and shared by every recipient.
 *
 * @param event the event
 * @param text  its encoded form
 */
public record Frame(ServerEvent event, String text) {
    /** Validates the frame. */
    public Frame {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(text, "text");
    }

    /**
     * @param event   the event
     * @param encoder the encoder
     * @return the encoded frame
     */
    public static Frame encode(ServerEvent event, EventEncoder encoder) {
        return new Frame(event, encoder.encode(event));
    }

    /** @return whether the frame may be dropped under back-pressure */
    public boolean ephemeral() {
        return event.ephemeral();
    }
}
