package io.parley.adapters.pubsub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Records what a listener receives and lets a test wait for a matching item, without sleeping. */
final class Recorder<T> implements Consumer<T> {
    private final List<T> received = new ArrayList<>();

    @Override
    public synchronized void accept(T item) {
        received.add(item);
        notifyAll();
    }

    /** Waits for the first item that matches and returns it. */
    synchronized T await(Predicate<T> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                for (T item : received) {
                    if (matching.test(item)) {
                        return item;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail("nothing matching within " + timeout + "; received " + received);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
    }

    synchronized List<T> received() {
        return List.copyOf(received);
    }
}
