package io.parley.application.port.in;

import io.parley.domain.Message;

/**
 * The stored message of a send.
 *
 * @param message the message (for a retry: the original, in its current state)
 * @param retry   whether this send was a retry of an earlier one with the same client id
 */
public record SendResult(Message message, boolean retry) {
}
