package io.parley.wire;

import io.parley.engine.ClientCommand;
import io.parley.engine.ServerEvent;

import java.util.Objects;

/**
 * The outcome of decoding one command frame: either a command ready for the session, or the {@code error}
 * event to send back instead (with the command's {@code ref} whenever it could be read).
 */
public sealed interface Decoded {
    /**
     * A well-formed command.
     *
     * @param command the command as the session runs it
     */
    record Command(ClientCommand command) implements Decoded {
        /** Validates the outcome. */
        public Command {
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A frame that is not a valid command; send {@code error} back and keep the connection open.
     *
     * @param error the reply ({@code invalid} or {@code unknown_type})
     */
    record Rejected(ServerEvent.Error error) implements Decoded {
        /** Validates the outcome. */
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }
}
