package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Listeners per topic in copy-on-write lists: publishing, the frequent operation, iterates a snapshot
 * without locking; subscribing and closing copy the list of one topic.
 */
final class LocalFanout implements Fanout {
    private static final System.Logger LOG = System.getLogger(LocalFanout.class.getName());

    private final Map<Topic, List<Listener>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(Topic topic, Signal signal) {
        Objects.requireNonNull(signal, "signal");
        for (Listener listener : listeners.getOrDefault(topic, List.of())) {
            listener.deliver(signal);
        }
    }

    @Override
    public Subscription subscribe(Topic topic, Consumer<Signal> consumer) {
        Listener listener = new Listener(topic, Objects.requireNonNull(consumer, "listener"));
        listeners.compute(topic, (t, list) -> {
            List<Listener> updated = list == null ? new CopyOnWriteArrayList<>() : list;
            updated.add(listener);
            return updated;
        });
        return listener;
    }

    private void remove(Listener listener) {
        // Drops the topic with its last listener, atomically with respect to subscribe on the same topic.
        listeners.computeIfPresent(listener.topic, (t, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /** One subscription; identity matters, so the same consumer may be subscribed twice. */
    private final class Listener implements Subscription {
        private final Topic topic;
        private final Consumer<Signal> consumer;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Listener(Topic topic, Consumer<Signal> consumer) {
            this.topic = topic;
            this.consumer = consumer;
        }

        void deliver(Signal signal) {
            if (!open.get()) {
                return; // closed while a publish was iterating an older snapshot
            }
            try {
                consumer.accept(signal);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener on " + topic.key() + " failed; the others still receive", e);
            }
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                remove(this);
            }
        }
    }
}
