package io.parley.engine.resumable;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This node's listeners of fan-out topics, one broker subscription per topic however many streams and
 * polls listen to it. A topic nobody listens to any more keeps its broker subscription for a while
 * ({@link #closeIdle}), so that long-polls, which come and go every few seconds, do not subscribe and
 * unsubscribe at the broker each time.
 *
 * <p>A topic's listeners are a concurrent hash set: every long-poll answer registers and removes one, so a
 * room's thousand pollers make a thousand of each per message, and a copy-on-write set would copy and scan
 * all of them each time (quadratic in the room's size). Delivery iterates the set weakly consistently: a
 * listener registered before a signal is published gets it, as {@link Fanout#subscribe} promises.
 */
final class TopicListeners {
    private final Fanout fanout;
    private final Map<Topic, Entry> entries = new ConcurrentHashMap<>();

    TopicListeners(Fanout fanout) {
        this.fanout = fanout;
    }

    /**
     * Listens to a topic; effective before it returns. The listener must not block.
     *
     * @return the handle that stops listening
     */
    Registration listen(Topic topic, Consumer<Signal> listener) {
        Consumer<Signal> own = listener::accept; // identity per registration
        entries.compute(topic, (t, entry) -> {
            Entry current = entry == null ? new Entry() : entry;
            current.listeners.add(own);
            current.idleSinceNanos = 0;
            if (current.subscription == null) {
                current.subscription = fanout.subscribe(t, current::deliver);
            }
            return current;
        });
        return () -> entries.computeIfPresent(topic, (t, entry) -> {
            if (entry.listeners.remove(own) && entry.listeners.isEmpty()) {
                entry.idleSinceNanos = System.nanoTime();
            }
            return entry;
        });
    }

    /** Ends the broker subscriptions of topics nobody has listened to for {@code lingerNanos}. */
    void closeIdle(long lingerNanos) {
        long now = System.nanoTime();
        for (Topic topic : Set.copyOf(entries.keySet())) {
            entries.computeIfPresent(topic, (t, entry) -> {
                if (entry.listeners.isEmpty() && now - entry.idleSinceNanos >= lingerNanos) {
                    entry.subscription.close();
                    return null;
                }
                return entry;
            });
        }
    }

    /** Ends every broker subscription. */
    void close() {
        entries.values().forEach(entry -> entry.subscription.close());
        entries.clear();
    }

    /** @return how many topics have a broker subscription (for tests) */
    int topics() {
        return entries.size();
    }

    /** A registration; closing twice is harmless. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        private final Set<Consumer<Signal>> listeners = ConcurrentHashMap.newKeySet();
        private Fanout.Subscription subscription;
        private volatile long idleSinceNanos;

        void deliver(Signal signal) {
            for (Consumer<Signal> listener : listeners) {
                listener.accept(signal);
            }
        }
    }
}
