package io.parley.engine.resumable;

import io.parley.application.port.out.Signal;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlinesTest {
    private final Deadlines deadlines = new Deadlines(Duration.ofSeconds(25));
    private final Mailbox mailbox = new Mailbox(UserId.of("alice"));

    private CompletableFuture<Void> waitUntil(long deadlineNanos) {
        return CompletableFuture.runAsync(() -> {
            try {
                mailbox.await(deadlineNanos);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
    }

    @Test
    void a_wait_past_its_deadline_ends_at_the_next_tick_and_not_before() throws Exception {
        deadlines.watch(mailbox);
        CompletableFuture<Void> waiting = waitUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        // No timer of its own: the deadline passes and the reader still waits.
        assertThrows(TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));
        assertTrue(mailbox.due(System.nanoTime()));
        deadlines.tick();
        waiting.get(5, TimeUnit.SECONDS);
        assertFalse(mailbox.due(System.nanoTime()), "nobody waits any more");
    }

    @Test
    void a_tick_before_the_deadline_leaves_the_reader_waiting() throws Exception {
        deadlines.watch(mailbox);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CompletableFuture<Void> waiting = waitUntil(deadline);
        awaitWaiting(deadline);
        deadlines.tick();
        assertThrows(TimeoutException.class, () -> waiting.get(200, TimeUnit.MILLISECONDS));
        mailbox.offer(new Signal.Resync());
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_deadline_already_passed_does_not_wait_at_all() throws Exception {
        waitUntil(System.nanoTime() - 1).get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_forgotten_reader_is_no_longer_watched_and_the_period_follows_the_heartbeat() {
        deadlines.watch(mailbox);
        deadlines.forget(mailbox);
        assertEquals(0, deadlines.size());
        assertEquals(Duration.ofMillis(100), deadlines.period());
        assertEquals(Duration.ofMillis(30), new Deadlines(Duration.ofMillis(300)).period());
        assertEquals(Duration.ofMillis(10), new Deadlines(Duration.ofMillis(20)).period());
    }

    /** Until the reader waits (it would be due at its deadline). */
    private void awaitWaiting(long deadline) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!mailbox.due(deadline) && System.nanoTime() < end) {
            Thread.sleep(5);
        }
    }
}
