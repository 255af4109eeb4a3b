package io.parley.engine.resumable;

import io.parley.domain.UserId;

/**
 * One stream or poll open on this node: what shutdown wakes, and what the stall watchdog watches. The
 * transport tells it which reader it serves ({@link #attach}) and brackets each socket write with
 * {@link #writing()} and {@link #written()}; a write blocked for two heartbeat intervals (a peer that stopped
 * reading) gets the writing thread interrupted, which closes a virtual thread's socket.
 */
public final class ReaderSlot implements AutoCloseable {
    private final Readers readers;
    private final UserId streamUser;
    private final String streamId;
    private volatile Mailbox mailbox;
    private volatile Thread thread;
    private volatile long writeStarted;

    ReaderSlot(Readers readers, UserId streamUser, String streamId) {
        this.readers = readers;
        this.streamUser = streamUser;
        this.streamId = streamId;
    }

    /**
     * Tells the slot which reader to wake on shutdown; the calling thread is the one that writes.
     *
     * @param reader the reader this stream or poll delivers from
     */
    public void attach(SessionReader reader) {
        Mailbox mailbox = reader.mailbox();
        this.mailbox = mailbox;
        this.thread = Thread.currentThread();
        if (readers.closing) {
            mailbox.wake();
        }
    }

    /** @return whether the node is shutting down */
    public boolean closing() {
        return readers.closing;
    }

    /** A socket write starts. */
    public void writing() {
        long now = System.nanoTime();
        writeStarted = now == 0 ? 1 : now;
    }

    /** The socket write ended. */
    public void written() {
        writeStarted = 0;
    }

    long writeStarted() {
        return writeStarted;
    }

    Thread writer() {
        return thread;
    }

    void wake() {
        Mailbox current = mailbox;
        if (current != null) {
            current.wake();
        }
    }

    /** Ends the slot (the stream or poll is over). */
    @Override
    public void close() {
        if (readers.open.remove(this) && streamUser != null) {
            readers.release(streamUser, streamId);
        }
    }
}
