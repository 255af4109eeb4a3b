package io.parley.adapters.ssepolling;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A fan-out whose subscriptions to session topics take a while to take effect, as a broker's
 * {@code SUBSCRIBE} round trip does; it tells a test each time one starts. Signals published meanwhile
 * are not delivered to the new subscription, which the port's contract allows (a subscription takes effect
 * when {@code subscribe} returns).
 */
final class SlowSessionSubscribe implements Fanout {
    private final Fanout inner;
    private final Duration delay;
    private final Semaphore started = new Semaphore(0);

    SlowSessionSubscribe(Fanout inner, Duration delay) {
        this.inner = inner;
        this.delay = delay;
    }

    /** Waits until a subscription to a session topic has started (and not yet taken effect). */
    void awaitSessionSubscribe() throws InterruptedException {
        started.acquire();
    }

    @Override
    public void publish(Topic topic, Signal signal) {
        inner.publish(topic, signal);
    }

    @Override
    public Subscription subscribe(Topic topic, Consumer<Signal> listener) {
        if (topic instanceof Topic.Session) {
            started.release();
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return inner.subscribe(topic, listener);
    }
}
