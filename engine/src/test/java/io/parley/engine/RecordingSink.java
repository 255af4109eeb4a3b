package io.parley.engine;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A transport that records what the session writes; it can be told to stop taking frames. */
final class RecordingSink implements SessionSink {
    private final List<ServerEvent> events = new ArrayList<>();
    private CloseReason closed;
    private int pings;
    private boolean blocked;
    /** How many frames each write carried. */
    private final List<Integer> writes = new ArrayList<>();
    private volatile long slowMillis;
    /**
     * Whether the calling thread was told there was room since its last write: a write it was admitted to
     * goes through even if {@link #block()} came in between, as a socket's buffer keeps the bytes it had room
     * for. Without this, a delivering thread that checked {@link #writableBytes()} just before the block
     * would wait inside its write, which {@link SessionSink#writableBytes()} promises cannot happen.
     */
    private final ThreadLocal<Boolean> admitted = ThreadLocal.withInitial(() -> false);

    @Override
    public synchronized void send(Frame frame) {
        record(frame, admitted());
    }

    private boolean admitted() {
        boolean mayWrite = admitted.get();
        admitted.set(false);
        return mayWrite;
    }

    private synchronized void record(Frame frame, boolean admittedWrite) {
        while (blocked && !admittedWrite) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        events.add(frame.event());
        notifyAll();
    }

    @Override
    public void send(List<Frame> frames) {
        long delay = slowMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        boolean admittedWrite = admitted();
        synchronized (this) {
            writes.add(frames.size());
            frames.forEach(frame -> record(frame, admittedWrite));
        }
    }

    /** Every write from now on takes this long, while the sink still says it has room: a slow network. */
    void slowDown(Duration perWrite) {
        slowMillis = perWrite.toMillis();
    }

    /** @return how many frames each write carried, in order */
    synchronized List<Integer> writes() {
        return List.copyOf(writes);
    }

    /** Takes frames inline unless blocked, as a connection with room in its buffers does. */
    @Override
    public synchronized int writableBytes() {
        int room = blocked ? 0 : 1 << 20;
        if (room > 0) {
            // Kept until the thread writes: the engine checks again before the write it claimed (to size the
            // batch), and a block() in between must not turn that claimed write into one that waits.
            admitted.set(true);
        }
        return room;
    }

    @Override
    public synchronized void ping() {
        pings++;
        notifyAll();
    }

    /** @return how many protocol pings the session sent */
    synchronized int pings() {
        return pings;
    }

    @Override
    public synchronized void close(CloseReason reason) {
        closed = reason;
        notifyAll();
    }

    @Override
    public void terminate() {
    }

    synchronized void block() {
        blocked = true;
    }

    synchronized void unblock() {
        blocked = false;
        notifyAll();
    }

    /** Waits for {@code count} events and returns all so far. */
    List<ServerEvent> await(int count) {
        return until(() -> events.size() >= count);
    }

    /** Waits for an event that matches and returns all events up to and including it. */
    List<ServerEvent> awaitMatching(Predicate<ServerEvent> matching) {
        List<ServerEvent> all = until(() -> events.stream().anyMatch(matching));
        for (int i = 0; i < all.size(); i++) {
            if (matching.test(all.get(i))) {
                return all.subList(0, i + 1);
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Waits until the session has sent {@code count} protocol pings. */
    void awaitPings(int count) {
        until(() -> pings >= count);
    }

    synchronized CloseReason awaitClose() {
        until(() -> closed != null);
        return closed;
    }

    private synchronized List<ServerEvent> until(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out; events: " + events + ", closed: " + closed);
            }
            try {
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return List.copyOf(events);
    }
}
