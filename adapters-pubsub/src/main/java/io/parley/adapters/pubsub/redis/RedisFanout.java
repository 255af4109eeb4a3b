package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fan-out over Redis pub/sub (classic or sharded: see {@link Channels}). A node subscribes to a topic's channel
 * while it has local listeners for it (reference-counted), so broker traffic follows local interest. A publish
 * reaches the local listeners directly (even while Redis is down) and the other nodes through the broker; a node
 * ignores the echo of its own publications. Listeners run on one {@link SerialQueue} per topic, off the client's
 * event loop, so a topic's signals keep their arrival order. After the subscription connection comes back, every
 * channel is subscribed again and every listener receives {@link Signal.Resync}.
 */
final class RedisFanout implements Fanout {
    private static final System.Logger LOG = System.getLogger(RedisFanout.class.getName());
    private static final Duration RESUBSCRIBE_RETRY = Duration.ofSeconds(1);

    private final Channels channels;
    private final String node;
    private final String prefix;
    private final Executor workers;
    private final Duration timeout;
    private final TypingLiveness typing;
    private final Object transitions = new Object();
    private final Map<String, TopicListeners> topics = new ConcurrentHashMap<>();
    /** Channels whose (S)UNSUBSCRIBE failed (broker down): dropped again after the next reconnect. */
    private final Set<String> stale = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lastLossLogged = new AtomicLong();

    RedisFanout(Channels channels, String node, String prefix, Executor workers, Duration timeout,
                TypingLiveness typing) {
        this.channels = channels;
        this.node = node;
        this.prefix = prefix;
        this.workers = workers;
        this.timeout = timeout;
        this.typing = typing;
    }

    @Override
    public void publish(Topic topic, Signal signal) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(signal, "signal");
        String channel = channel(topic);
        TopicListeners local = topics.get(channel);
        if (local != null) {
            local.deliver(signal);
        }
        if (signal instanceof Signal.TypingChanged changed) {
            typing.published(channel, changed.typing());
        }
        send(channel, SignalCodec.encode(node, signal));
    }

    @Override
    public Subscription subscribe(Topic topic, Consumer<Signal> consumer) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(consumer, "listener");
        String channel = channel(topic);
        Listener listener;
        CompletableFuture<Void> subscribed = null;
        synchronized (transitions) {
            TopicListeners entry = topics.computeIfAbsent(channel, c -> new TopicListeners(c, new SerialQueue(workers)));
            listener = new Listener(entry, consumer);
            entry.listeners.add(listener);
            if (entry.listeners.size() == 1) {
                stale.remove(channel);
                // Issued under the lock, so the (S)SUBSCRIBE and (S)UNSUBSCRIBE of one channel reach Redis in order.
                subscribed = channels.subscribe(channel);
            }
        }
        if (subscribed != null) {
            await(subscribed, "subscribing to " + channel);
        }
        return listener;
    }

    /** Subscribes every channel again and tells every listener that signals may have been lost. */
    void reconnected(String... alsoSubscribe) {
        List<String> all = new ArrayList<>(topics.keySet());
        all.addAll(List.of(alsoSubscribe));
        List<String> drop = stale.stream().filter(c -> !topics.containsKey(c)).toList();
        stale.clear();
        if (!drop.isEmpty()) {
            channels.unsubscribe(drop.toArray(String[]::new));
        }
        channels.subscribe(all.toArray(String[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.WARNING, "re-subscribing after a reconnect failed: " + error);
            }
            topics.values().forEach(entry -> entry.deliver(new Signal.Resync()));
        });
    }

    /**
     * Subscribes again to the channels whose subscription Redis dropped or lost (their cluster slots moved to
     * another master) and that still have listeners here.
     *
     * @param moved whether a channel is one of them
     */
    void moved(Predicate<String> moved) {
        topics.keySet().stream().filter(moved).forEach(this::dropped);
    }

    /**
     * Subscribes again to a channel that Redis dropped while this node still has listeners for it (its cluster slot
     * moved to another master), and once that worked tells those listeners that signals may have been lost.
     */
    void dropped(String channel) {
        TopicListeners entry;
        CompletableFuture<Void> subscribed;
        synchronized (transitions) {
            entry = topics.get(channel);
            if (entry == null) {
                return;
            }
            subscribed = channels.subscribe(channel);
        }
        subscribed.whenComplete((ok, error) -> {
            if (error == null) {
                LOG.log(System.Logger.Level.INFO, "Redis dropped the subscription to " + channel + "; subscribed again");
                entry.deliver(new Signal.Resync());
            } else {
                LOG.log(System.Logger.Level.WARNING, "subscribing again to " + channel + " failed; retrying in "
                        + RESUBSCRIBE_RETRY + ": " + error);
                CompletableFuture.delayedExecutor(RESUBSCRIBE_RETRY.toMillis(), TimeUnit.MILLISECONDS, workers)
                        .execute(() -> dropped(channel));
            }
        });
    }

    /** Called for each message on a topic channel (on the client's event loop: only hands over). */
    void received(String channel, String message) {
        TopicListeners entry = topics.get(channel);
        if (entry == null) {
            return;
        }
        entry.serial.execute(() -> {
            SignalCodec.Envelope envelope;
            try {
                envelope = SignalCodec.decode(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring a malformed signal on " + channel + ": " + e.getMessage());
                return;
            }
            if (envelope.origin().equals(node)) {
                return;
            }
            if (envelope.signal() instanceof Signal.TypingChanged changed
                    && !typing.received(channel, changed.typing(), envelope.renewal())) {
                return;
            }
            entry.deliverNow(envelope.signal());
        });
    }

    /** Renews on the broker the typing indicators this node started. */
    void renewTyping() {
        for (TypingLiveness.Key key : typing.renewals()) {
            send(key.channel(), SignalCodec.encode(new SignalCodec.Envelope(node, key.signal(true), true)));
        }
    }

    /** Ends remote typing indicators whose node stopped renewing them. */
    void expireTyping() {
        for (TypingLiveness.Key key : typing.expired()) {
            TopicListeners entry = topics.get(key.channel());
            if (entry != null) {
                entry.deliver(key.signal(false));
            }
        }
    }

    long published() {
        return published.get();
    }

    long lost() {
        return lost.get();
    }

    private void send(String channel, String payload) {
        channels.publish(channel, payload).whenComplete((receivers, error) -> {
            if (error == null) {
                published.incrementAndGet();
            } else {
                lose(channel, error);
            }
        });
    }

    private void lose(String channel, Throwable error) {
        long count = lost.incrementAndGet();
        long previous = lastLossLogged.get();
        // Log the first loss and then every 1000th: an outage must not flood the log.
        if (previous == 0 || count - previous >= 1000) {
            lastLossLogged.set(count);
            LOG.log(System.Logger.Level.WARNING, "publishing on " + channel + " failed (" + count
                    + " signals lost so far; subscribers read durable events from the store): " + error);
        }
    }

    private void await(CompletableFuture<Void> command, String what) {
        try {
            command.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The listener stays registered: it receives local signals now, and Resync plus remote ones once the
            // broker is back.
            LOG.log(System.Logger.Level.WARNING, what + " failed; retried after the broker reconnects: "
                    + (e.getCause() == null ? e : e.getCause()));
        }
    }

    private void unsubscribe(Listener listener) {
        synchronized (transitions) {
            TopicListeners entry = listener.entry;
            entry.listeners.remove(listener);
            if (entry.listeners.isEmpty() && topics.remove(entry.channel, entry)) {
                typing.forget(entry.channel);
                channels.unsubscribe(entry.channel).whenComplete((ok, error) -> {
                    if (error != null) {
                        stale.add(entry.channel);
                    }
                });
            }
        }
    }

    private String channel(Topic topic) {
        return prefix + topic.key();
    }

    /** The local listeners of one channel and the queue their deliveries run on. */
    private static final class TopicListeners {
        private final String channel;
        private final SerialQueue serial;
        private final List<Listener> listeners = new CopyOnWriteArrayList<>();

        private TopicListeners(String channel, SerialQueue serial) {
            this.channel = channel;
            this.serial = serial;
        }

        void deliver(Signal signal) {
            serial.execute(() -> deliverNow(signal));
        }

        void deliverNow(Signal signal) {
            for (Listener listener : listeners) {
                listener.accept(signal);
            }
        }
    }

    /** One subscription; identity matters, so the same consumer may be subscribed twice. */
    private final class Listener implements Subscription {
        private final TopicListeners entry;
        private final Consumer<Signal> consumer;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Listener(TopicListeners entry, Consumer<Signal> consumer) {
            this.entry = entry;
            this.consumer = consumer;
        }

        void accept(Signal signal) {
            if (!open.get()) {
                return;
            }
            try {
                consumer.accept(signal);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener on " + entry.channel + " failed; the others still "
                        + "receive", e);
            }
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                unsubscribe(this);
            }
        }
    }
}
