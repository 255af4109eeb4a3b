package io.parley.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs tasks on their own threads, all released at once, to make them contend. */
final class Concurrently {
    private Concurrently() {
    }

    /**
     * @param tasks   tasks, one thread each
     * @param timeout how long all of them may take
     * @param <T>     their result
     * @return their results, in task order
     */
    static <T> List<T> run(List<Callable<T>> tasks, Duration timeout) {
        CountDownLatch start = new CountDownLatch(1);
        // Daemon threads, shut down without waiting: a store that deadlocks fails the test instead of hanging it.
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size(), Thread.ofPlatform().daemon().factory());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            return fail("concurrent tasks did not finish within " + timeout + " (deadlock or lost wake-up?)");
        } catch (ExecutionException e) {
            return fail("a concurrent task failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        } finally {
            threads.shutdownNow();
        }
    }
}
