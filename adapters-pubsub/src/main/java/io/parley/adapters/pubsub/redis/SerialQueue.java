package io.parley.adapters.pubsub.redis;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one after another, in submission order, on a shared executor: a topic's listeners are called in
 * the order its signals arrived, off the broker client's event loop, without a thread of its own.
 */
final class SerialQueue implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialQueue.class.getName());

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    SerialQueue(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                running.set(false); // shutting down
            }
        }
    }

    private void drain() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a fan-out delivery failed", e);
            }
        }
        running.set(false);
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
