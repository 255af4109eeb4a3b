package io.parley.adapters.ssepolling;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fan-out that hands signals on session topics to their listeners late, in order, as a busy broker
 * or a busy node may; every other topic goes straight through. It lets a test make a command's effect on
 * the store overtake the news that a session's record changed.
 */
final class LateSessionSignals implements Fanout, AutoCloseable {
    private final Fanout inner;
    private final Duration delay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("late-session-signals").factory());

    LateSessionSignals(Fanout inner, Duration delay) {
        this.inner = inner;
        this.delay = delay;
    }

    @Override
    public void publish(Topic topic, Signal signal) {
        inner.publish(topic, signal);
    }

    @Override
    public Subscription subscribe(Topic topic, Consumer<Signal> listener) {
        if (!(topic instanceof Topic.Session)) {
            return inner.subscribe(topic, listener);
        }
        return inner.subscribe(topic, signal -> timer.schedule(() -> listener.accept(signal), delay.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
