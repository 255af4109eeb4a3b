package io.parley.bootstrap;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.parley.wire.RefusalLog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A request's headers must arrive within a deadline of its request line (slowloris). Helidon 4.1.2 has no
 * such timeout: its idle-connection timer ends a connection that is still reading a request line, but once
 * the line is in, a client that sends one header byte a second holds the connection and its thread for
 * hours ({@code max-headers-size} at that pace). This listener, a receive listener of Helidon's HTTP/1
 * connections, notes when each request line has been read and when its headers are complete;
 * {@link #sweep()}, run every second, answers a request still without its headers at the deadline with
 * {@code 408} and {@code Connection: close}, closes the socket (which ends Helidon's blocked read), and
 * tells the {@link RefusalLog} (one line per minute at most, the path without its query).
 *
 * <p>Nothing is kept per connection between requests, and a WebSocket upgrade or a streamed response never
 * reaches the map once its headers are read. An entry is forgotten when its connection ends before the
 * deadline ({@link #forget}: a request Helidon refused itself, a client gone mid-headers), so nothing is
 * answered or logged for it.
 */
final class RequestHeadDeadline implements Http1ConnectionListener {
    private static final System.Logger LOG = System.getLogger(RequestHeadDeadline.class.getName());

    private final long timeoutNanos;
    private final String message;
    private final byte[] response;
    private final RefusalLog refusals;
    private final LongSupplier nanoTime;
    private final Map<ConnectionContext, Started> reading = new ConcurrentHashMap<>();

    private record Started(long at, String method, String path) {
    }

    RequestHeadDeadline(Duration timeout, RefusalLog refusals) {
        this(timeout, refusals, System::nanoTime);
    }

    RequestHeadDeadline(Duration timeout, RefusalLog refusals, LongSupplier nanoTime) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request-head-timeout must be positive");
        }
        this.timeoutNanos = timeout.toNanos();
        this.refusals = refusals;
        this.nanoTime = nanoTime;
        this.message = "the request's headers did not arrive within " + describe(timeout) + " of its request line";
        byte[] body = ("{\"error\":{\"code\":\"invalid\",\"message\":\"" + message + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        this.response = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        reading.put(ctx, new Started(nanoTime.getAsLong(), prologue.method().text(), prologue.uriPath().rawPath()));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        reading.remove(ctx);
    }

    /** Forgets the connection's request, if its headers were still awaited: the connection has ended. */
    void forget(ConnectionContext ctx) {
        reading.remove(ctx);
    }

    /** Ends every request whose headers are overdue. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<ConnectionContext, Started> entry : reading.entrySet()) {
            Started started = entry.getValue();
            if (now - started.at() >= timeoutNanos && reading.remove(entry.getKey(), started)) {
                refuse(entry.getKey(), started);
            }
        }
    }

    /** @return how many requests are between their request line and the end of their headers */
    int reading() {
        return reading.size();
    }

    private void refuse(ConnectionContext ctx, Started started) {
        refusals.refused(408, "request_timeout", started.method(), started.path(), client(ctx), message);
        try {
            // The connection's own thread is blocked reading the headers and writes nothing meanwhile.
            ctx.dataWriter().writeNow(BufferData.create(response));
        } catch (RuntimeException gone) {
            LOG.log(System.Logger.Level.TRACE, "the 408 could not be written: the client is gone");
        }
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a connection past its request-head deadline failed", e);
        }
    }

    private static String client(ConnectionContext ctx) {
        try {
            return ctx.remotePeer().host();
        } catch (RuntimeException e) {
            return "-";
        }
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
