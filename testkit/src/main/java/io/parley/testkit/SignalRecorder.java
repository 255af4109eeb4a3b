package io.parley.testkit;

import io.parley.application.port.out.Signal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/** A fan-out listener that records what it receives and lets a test wait for it, without sleeping. */
final class SignalRecorder implements Consumer<Signal> {
    private final List<Signal> received = new ArrayList<>();
    private final boolean failing;

    private SignalRecorder(boolean failing) {
        this.failing = failing;
    }

    /** @return a recorder */
    static SignalRecorder create() {
        return new SignalRecorder(false);
    }

    /** @return a recorder that throws after recording each signal, like a broken listener */
    static SignalRecorder failing() {
        return new SignalRecorder(true);
    }

    @Override
    public synchronized void accept(Signal signal) {
        received.add(signal);
        notifyAll();
        if (failing) {
            throw new IllegalStateException("listener failure staged by the fan-out contract test");
        }
    }

    /**
     * Waits until at least {@code count} signals arrived.
     *
     * @param count   how many
     * @param timeout how long to wait
     * @return every signal received so far, in arrival order
     */
    synchronized List<Signal> await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail("expected " + count + " signals within " + timeout + ", received " + received);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
        return List.copyOf(received);
    }

    /** @return every signal received so far, in arrival order */
    synchronized List<Signal> received() {
        return List.copyOf(received);
    }
}
