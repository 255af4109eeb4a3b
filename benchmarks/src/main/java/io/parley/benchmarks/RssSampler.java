package io.parley.benchmarks;

import java.util.OptionalLong;

/**
 * Reads a process's resident memory at the start, every 100 ms while it runs, and at the end of a window,
 * so a window can report RSS before, after and at its peak. Without a pid it reads nothing.
 */
final class RssSampler implements AutoCloseable {
    /** RSS over a window, in KiB. */
    record Rss(long beforeKib, long afterKib, long peakKib) {
        static final Rss NONE = new Rss(0, 0, 0);

        boolean known() {
            return beforeKib > 0;
        }
    }

    private final OptionalLong pid;
    private final long before;
    private final Thread thread;
    private volatile long peak;
    private volatile boolean running = true;

    RssSampler(OptionalLong pid) {
        this.pid = pid;
        this.before = pid.isPresent() ? ProcStats.rssKib(pid.getAsLong()) : 0;
        this.peak = before;
        this.thread = Thread.ofPlatform().daemon().name("rss-sampler").unstarted(this::sample);
        if (pid.isPresent()) {
            thread.start();
        }
    }

    private void sample() {
        while (running) {
            try {
                peak = Math.max(peak, ProcStats.rssKib(pid.getAsLong()));
                Thread.sleep(100);
            } catch (InterruptedException | IllegalStateException e) {
                return;
            }
        }
    }

    /** Stops sampling and returns the window's figures. */
    Rss stop() {
        running = false;
        thread.interrupt();
        if (pid.isEmpty()) {
            return Rss.NONE;
        }
        long after = ProcStats.rssKib(pid.getAsLong());
        return new Rss(before, after, Math.max(peak, after));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
