package io.parley.adapters.ws;

import io.parley.engine.Phases;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * How many bytes a connection takes now without blocking its writer, known from the client's own answers.
 * Helidon's sockets are blocking and cannot say whether their send buffer has room, so the sink keeps this
 * account instead: after every {@value #MARK_EVERY} bytes of data it appends a <em>mark</em>, a ping with a
 * random 8-byte payload, to the same write. A client answers a ping only after reading everything sent
 * before it (TCP delivers in order; every browser and WebSocket library answers pings by itself), so the
 * bytes before an answered mark have left the server. At most {@value #UNCONFIRMED_LIMIT} bytes may be
 * written beyond the last answered mark: far less than what the kernel's send buffer and a client's
 * receive window hold together, so such a write returns at once even if the client stopped reading. The
 * payload is random so that a client cannot confirm bytes it has not read.
 *
 * <p>One mark at a time is out: a client that is behind gets no further pings until it answers, and a
 * session that is closing appends none ({@link #stop()}), so a close frame is not preceded by pings some
 * clients would still be answering while they close.
 *
 * <p>Changed by the holder of the session's write claim ({@link #markAfter}, {@link #newMark}) and by the
 * connection's reader ({@link #answered}); {@link #writable()} is read by any thread.
 */
final class WriteCredit {
    /** Bytes written beyond the last answered mark that a write may still add without blocking. */
    static final int UNCONFIRMED_LIMIT = 16 * 1024;
    /** A mark is appended after this many bytes written since the last one. */
    static final int MARK_EVERY = 8 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Phases PHASES = new Phases();

    private final LongSupplier nonces;
    private volatile long written;
    private long markedAt;
    /** The mark not answered yet, guarded by {@code this}: its payload and the bytes written before it. */
    private long pendingNonce;
    private long pendingAt;
    private boolean pending;
    private volatile boolean stopped;
    private volatile long confirmed;

    WriteCredit() {
        this(RANDOM::nextLong, (int) (PHASES.nextFraction() * MARK_EVERY));
    }

    /**
     * @param nonces the marks' payloads
     * @param phase  how many bytes sooner than {@value #MARK_EVERY} the first mark comes, in {@code [0,
     *               MARK_EVERY)}: the members of a room are sent the same bytes, and without phases every one
     *               of them would get its mark with the same event and answer it at the same moment
     */
    WriteCredit(LongSupplier nonces, int phase) {
        if (phase < 0 || phase >= MARK_EVERY) {
            throw new IllegalArgumentException("phase " + phase);
        }
        this.nonces = nonces;
        this.markedAt = -phase;
    }

    /** @return the bytes a write may carry now without blocking (0 when the client is behind) */
    int writable() {
        return (int) Math.max(0, UNCONFIRMED_LIMIT - (written - confirmed));
    }

    /**
     * Counts data about to be written.
     *
     * @param bytes the bytes of data
     * @return whether a mark must follow them in the same write ({@link #newMark()})
     */
    boolean markAfter(int bytes) {
        long after = written + bytes;
        written = after;
        if (stopped || after - markedAt < MARK_EVERY) {
            return false;
        }
        synchronized (this) {
            return !pending;
        }
    }

    /** @return the payload of the mark that follows the data counted last */
    long newMark() {
        long nonce = nonces.getAsLong();
        markedAt = written;
        synchronized (this) {
            pendingNonce = nonce;
            pendingAt = markedAt;
            pending = true;
        }
        return nonce;
    }

    /** The session is closing: no more marks. */
    void stop() {
        stopped = true;
    }

    /**
     * A pong arrived with this payload: if it answers the mark that is out, the bytes before it are
     * confirmed.
     *
     * @param nonce the pong's 8-byte payload
     */
    synchronized void answered(long nonce) {
        if (pending && nonce == pendingNonce) {
            pending = false;
            confirmed = pendingAt;
        }
    }
}
