package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.ParleyException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit. Each room belongs to one of the writer threads (by its id's hash); a caller queues its
 * draft for the room's writer and waits. A writer takes everything queued for it (up to a limit) and
 * appends it in one transaction, so concurrent senders share one commit, and the drafts of one room are
 * never split over two transactions of this node that would wait for each other's lock. Writers of
 * different rooms run in parallel.
 *
 * <p>A caller waits at most its timeout and then gets {@code unavailable}; a draft whose caller gave up
 * before its writer took it is dropped, not written.
 */
final class AppendQueue implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(AppendQueue.class.getName());
    /** Drafts waiting per writer, beyond which appends are refused at once rather than queued. */
    private static final int CAPACITY = 10_000;
    private static final int ATTEMPTS = 3;
    /**
     * How long a writer may wait for more drafts after taking some. Senders whose drafts were in the last
     * batch queue their next ones right after its commit; without a short wait the next batch would leave
     * with the first few of them only. A writer waits only when its last batch was larger than what it has.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AppendTransaction transaction;
    private final Duration timeout;
    private final int maxBatch;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    private record Pending(EventDraft draft, CompletableFuture<AppendOutcome> result) {
    }

    /**
     * Starts the writers.
     *
     * @param transaction appends one batch
     * @param writers     writer threads
     * @param maxBatch    most drafts per transaction
     * @param timeout     how long a caller waits for its draft to be committed
     */
    AppendQueue(AppendTransaction transaction, int writers, int maxBatch, Duration timeout) {
        this.transaction = transaction;
        this.timeout = timeout;
        this.maxBatch = maxBatch;
        for (int i = 0; i < writers; i++) {
            BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
            queues.add(queue);
            threads.add(Thread.ofPlatform().daemon().name("parley-jdbc-writer-" + i).start(() -> drain(queue)));
        }
    }

    /**
     * Appends a draft through its room's writer and waits until it is committed.
     *
     * @param draft a draft, its times cut to microseconds
     * @return what happened
     */
    AppendOutcome append(EventDraft draft) {
        if (closed) {
            throw Failures.unavailable("the append", new IllegalStateException("the store is closed"));
        }
        Pending pending = new Pending(draft, new CompletableFuture<>());
        BlockingQueue<Pending> queue = queues.get(Math.floorMod(draft.room().value().hashCode(), queues.size()));
        if (!queue.offer(pending)) {
            throw Failures.unavailable("the append", new IllegalStateException("too many appends waiting"));
        }
        try {
            return pending.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.result().cancel(false);
            throw Failures.unavailable("the append", e);
        } catch (ExecutionException e) {
            throw Failures.translate(e.getCause(), "the append");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result().cancel(false);
            throw Failures.unavailable("the append", e);
        }
    }

    private void drain(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int lastBatch = 1;
        while (!closed) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                linger(queue, batch, Math.min(maxBatch, lastBatch));
            } catch (InterruptedException e) {
                break;
            }
            lastBatch = batch.size();
            batch.removeIf(p -> p.result().isDone());
            try {
                commit(batch);
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.SEVERE, "append batch failed unexpectedly", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
            batch.clear();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(
                Failures.unavailable("the append", new IllegalStateException("the store is closed"))));
    }

    /** Waits up to {@link #LINGER_NANOS} for the batch to grow to {@code target}. */
    private static void linger(BlockingQueue<Pending> queue, List<Pending> batch, int target)
            throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending more = queue.poll(Math.min(left, 50_000), TimeUnit.NANOSECONDS);
            if (more != null) {
                batch.add(more);
                queue.drainTo(batch, target - batch.size());
            }
        }
    }

    /** Commits a batch; when one draft breaks a rule of the database, commits each draft alone. */
    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<EventDraft> drafts = batch.stream().map(Pending::draft).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                List<AppendTransaction.Result> results = transaction.run(drafts);
                for (int i = 0; i < batch.size(); i++) {
                    AppendTransaction.Result result = results.get(i);
                    CompletableFuture<AppendOutcome> future = batch.get(i).result();
                    result.outcome().ifPresent(future::complete);
                    result.refusal().ifPresent(future::completeExceptionally);
                }
                return;
            } catch (RuntimeException e) {
                // A retry may see what the failed attempt collided with: a deadlock victim runs again, and
                // a concurrent post with the same client id is then found and returned as the original.
                boolean retry = Failures.isRetryable(e) || Failures.violates(e, PostBatch.CLIENT_ID_INDEX);
                if (retry && attempt < ATTEMPTS) {
                    continue;
                }
                if (Failures.isUnavailable(e) || batch.size() == 1) {
                    ParleyException failure = Failures.translate(e, "the append");
                    batch.forEach(p -> p.result().completeExceptionally(failure));
                    return;
                }
                batch.forEach(p -> commit(List.of(p)));
                return;
            }
        }
    }

    /** Stops the writers; drafts still queued fail with {@code unavailable}. */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
