package io.parley.engine.resumable;

import io.parley.domain.UserId;
import io.parley.engine.CloseReason;

import java.util.Optional;

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
    private volatile UserId readerUser;
    private volatile java.time.Instant tokenIssuedAt = java.time.Instant.MIN;
    private volatile CloseReason ended;
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
     * @param reader         the reader this stream or poll delivers from
     * @param tokenIssuedAt  when the token of this request was issued ({@link java.time.Instant#MIN} when it does
     *                       not say): a revocation ends the stream only when it is older
     */
    public void attach(SessionReader reader, java.time.Instant tokenIssuedAt) {
        Mailbox mailbox = reader.mailbox();
        this.readerUser = reader.user();
        this.tokenIssuedAt = tokenIssuedAt;
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

    /**
     * @return why the server ends this stream or poll before its time: the product's backend disconnected
     *         or revoked its user ({@code ManageUsers}); empty while it goes on
     */
    public Optional<CloseReason> ended() {
        return Optional.ofNullable(ended);
    }

    /**
     * Ends the stream or poll of {@code user} (if it is theirs) with {@code reason}, waking it; with
     * {@code revokedBefore}, only when its token was issued before that.
     */
    void end(UserId user, CloseReason reason, Optional<java.time.Instant> revokedBefore) {
        if (user.equals(readerUser) && revokedBefore.map(tokenIssuedAt::isBefore).orElse(true)) {
            ended = reason;
            wake();
        }
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
