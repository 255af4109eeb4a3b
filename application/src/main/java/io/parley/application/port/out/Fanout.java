package io.parley.application.port.out;

import java.util.function.Consumer;

/**
 * Publish/subscribe of {@link Signal signals} between the nodes of a deployment (and within one node).
 *
 * <p>Contract:
 * <ul>
 *     <li>A signal published on a topic reaches every listener subscribed to that topic on any node, at
 *     most once. Delivery may lose signals (a broker outage) and may reorder signals of different
 *     publishers; signals of one publisher on one topic arrive in publish order.</li>
 *     <li>Listeners must not block: they hand the signal over and return. Subscribers of durable events
 *     order them by seq and backfill gaps from the {@link RoomLog} (the session layer does).</li>
 *     <li>{@link #subscribe} takes effect before it returns: a signal published after that is delivered.</li>
 *     <li>{@link Subscription#close()} stops delivery; closing twice is harmless.</li>
 *     <li>{@link #publish} never throws because the broker is down; it reports the loss to the adapter's
 *     own health and metrics. Durable events are stored first, so nothing acknowledged is lost.</li>
 * </ul>
 */
public interface Fanout {
    /**
     * Publishes a signal.
     *
     * @param topic  where
     * @param signal what
     */
    void publish(Topic topic, Signal signal);

    /**
     * Subscribes a listener to a topic.
     *
     * @param topic    the topic
     * @param listener called with each signal; must not block
     * @return a handle that ends the subscription
     */
    Subscription subscribe(Topic topic, Consumer<Signal> listener);

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        /** Stops delivery to this subscription's listener. */
        @Override
        void close();
    }
}
