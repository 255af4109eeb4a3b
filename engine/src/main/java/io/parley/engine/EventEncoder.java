package io.parley.engine;

/**
 * Turns a {@link ServerEvent} into its wire text (JSON for protocol v1). Called once per event, however
 * many sessions receive it.
 */
@FunctionalInterface
public interface EventEncoder {
    /**
     * @param event any server event: a durable or ephemeral one, a reply
     * @return its text form
     */
    String encode(ServerEvent event);
}
