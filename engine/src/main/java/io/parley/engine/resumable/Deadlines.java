package io.parley.engine.resumable;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deadlines of this node's waiting readers (a stream's next heartbeat, a poll's end), kept by one
 * clock instead of one timer per wait. A virtual thread that waits with a timeout hands the timeout to the
 * JDK's delay scheduler, a platform thread that is woken to file it and again to cancel it when the wait
 * ends early: on one core that was two context switches per SSE delivery (perf: the scheduler thread and
 * {@code pthread_cond_signal} about a fifth of a fan-out's CPU). Readers here wait without a timeout, and
 * {@link #tick()} — run every {@link #period} by a thread of the hub's own ({@code parley-deadlines}, apart
 * from housekeeping, whose store calls may be slow) — wakes those whose deadline has passed, so a deadline is
 * met at most one period late.
 */
final class Deadlines {
    private final Set<Mailbox> mailboxes = ConcurrentHashMap.newKeySet();
    private final Duration period;

    /**
     * @param heartbeat the session heartbeat; the clock ticks ten times per interval, every 10–100 ms
     */
    Deadlines(Duration heartbeat) {
        long millis = Math.clamp(heartbeat.toMillis() / 10, 10, 100);
        this.period = Duration.ofMillis(millis);
    }

    /** @return how often {@link #tick()} should run, which is how late a deadline may be met */
    Duration period() {
        return period;
    }

    /** A reader's mailbox, watched from its reader's start to its close. */
    void watch(Mailbox mailbox) {
        mailboxes.add(mailbox);
    }

    void forget(Mailbox mailbox) {
        mailboxes.remove(mailbox);
    }

    /** Wakes every reader whose deadline has passed. */
    void tick() {
        long now = System.nanoTime();
        for (Mailbox mailbox : mailboxes) {
            if (mailbox.due(now)) {
                mailbox.wake();
            }
        }
    }

    /** @return how many readers are watched */
    int size() {
        return mailboxes.size();
    }
}
