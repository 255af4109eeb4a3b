package io.parley.application.port.out;

import io.parley.domain.Message;
import io.parley.domain.RoomEvent;

/** What {@link RoomLog#append} did. */
public sealed interface AppendOutcome {
    /**
     * The event was stored with its seq.
     *
     * @param event the stored event
     */
    record Appended(RoomEvent event) implements AppendOutcome {
    }

    /**
     * A retried post: the author's client id was used before, nothing was appended.
     *
     * @param original the first message, in its current state
     */
    record AlreadyPosted(Message original) implements AppendOutcome {
    }

    /** The draft would not change anything; nothing was appended. */
    record Unchanged() implements AppendOutcome {
    }
}
