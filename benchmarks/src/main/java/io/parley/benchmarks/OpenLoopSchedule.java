package io.parley.benchmarks;

/**
 * When each message of an open-loop run is due: message {@code i} at {@code start + i / rate}, whatever the
 * server did with the earlier ones. Latency is measured from this time, not from when the generator got
 * round to sending, so a server that pushes back is charged for the wait (no coordinated omission).
 */
final class OpenLoopSchedule {
    private final long startNanos;
    private final double intervalNanos;
    private final int count;

    /**
     * @param startNanos  {@link System#nanoTime()} of message 0
     * @param ratePerSecond messages per second, above 0
     * @param count       messages in the run
     */
    OpenLoopSchedule(long startNanos, double ratePerSecond, int count) {
        if (!(ratePerSecond > 0) || count < 0) {
            throw new IllegalArgumentException("rate must be positive and count not negative");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.count = count;
    }

    /** @return when message {@code i} is due, in {@link System#nanoTime()} terms */
    long dueAt(int i) {
        return startNanos + (long) (i * intervalNanos);
    }

    /** @return the number of messages due at {@code nowNanos} (those with index below it), at most the count */
    int dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long due = (long) ((nowNanos - startNanos) / intervalNanos) + 1;
        return (int) Math.min(due, count);
    }

    /** @return the messages in the run */
    int count() {
        return count;
    }

    /** @return when the last message is due */
    long endNanos() {
        return count == 0 ? startNanos : dueAt(count - 1);
    }
}
