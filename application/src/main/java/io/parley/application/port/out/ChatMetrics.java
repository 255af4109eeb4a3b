package io.parley.application.port.out;

import java.time.Duration;

/**
 * What the core reports for monitoring. Implementations must be cheap and non-blocking: they are called
 * on the delivery path.
 */
public interface ChatMetrics {
    /** Reports nothing. */
    ChatMetrics NONE = new ChatMetrics() {
    };

    /**
     * @param transport transport name ({@code websocket}, {@code sse}, {@code long-poll})
     */
    default void sessionOpened(String transport) {
    }

    /**
     * @param transport transport name
     * @param reason    close reason name
     */
    default void sessionClosed(String transport, String reason) {
    }

    /**
     * @param type protocol command type
     */
    default void commandHandled(String type) {
    }

    /**
     * @param code protocol error code
     */
    default void errorSent(String code) {
    }

    /**
     * @param count events handed to session queues
     */
    default void eventsDelivered(int count) {
    }

    /**
     * @param elapsed from storing a durable event to handing it to the local sessions' queues
     */
    default void fanoutDelivered(Duration elapsed) {
    }

    /** A session was closed because its outbound queue overflowed. */
    default void slowConsumerClosed() {
    }

    /**
     * A request or connection was refused by a limit.
     *
     * @param limit which ({@code connections_per_user} …)
     */
    default void limitRefused(String limit) {
    }

    /**
     * A decision hook answered something other than allow.
     *
     * @param hook     which ({@code before_send}, {@code before_join}, {@code before_subscribe})
     * @param decision what it decided ({@code reject}, {@code rewrite}, {@code deny})
     */
    default void hookDecided(String hook, String decision) {
    }

    /**
     * An event listener ({@code EventListener}, webhooks) took an event, or failed to.
     *
     * @param feed      the listener's name
     * @param delivered whether it took it (false: it threw, and the event is retried)
     */
    default void feedDelivered(String feed, boolean delivered) {
    }
}
