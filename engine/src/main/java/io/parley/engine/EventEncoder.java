package io.parley.engine;

/**
 * Turns a {@link ServerEvent} into its wire text (JSON for protocol v1). Called once per event, however
 * many sessions receive it.
 */
@FunctionalInterface
public interface EventEncoder {
    /**
     * @param event the event
     * @return its text form
     */
    String encode(ServerEvent event);
}
