package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.Fanout;

/** Creates a {@link Fanout} that reaches the listeners of this JVM only. */
public final class InMemoryFanout {
    private InMemoryFanout() {
    }

    /**
     * A thread-safe fan-out that calls a topic's listeners synchronously on the publisher's thread, in
     * subscription order. A listener that throws is logged and skipped; the others still receive the signal.
     *
     * @return a new fan-out with no subscriptions
     */
    public static Fanout create() {
        return new LocalFanout();
    }
}
