package io.parley.bootstrap;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.parley.wire.RefusalLog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A request's headers must arrive within a deadline of its request line, and its body within a deadline of
 * its headers (slowloris, and its slow-body variant). Helidon 4.1.2 has neither: its idle-connection timer
 * ends a connection that is still reading a request line, but once the line is in, a client that sends one
 * header byte a second holds the connection and its thread for hours ({@code max-headers-size} at that
 * pace), and one that sends a declared body a byte at a time holds them until {@code max-payload-size}.
 *
 * <p>This is a receive listener of Helidon's HTTP/1 connections: it notes when each request line has been
 * read and when its headers are complete. A request with a body ({@code Content-Length} above 0 or a
 * {@code Transfer-Encoding}) then waits for its response: {@link #responses()}, a send listener, ends the
 * wait when the response's status goes out (the handler has read the body or given up on it).
 * {@link #sweep()}, run every second, answers a request past its deadline with {@code 408} and
 * {@code Connection: close}, closes the socket (which ends Helidon's or the handler's blocked read), and
 * tells the {@link RefusalLog} (one line per minute at most, the path without its query).
 *
 * <p>Nothing is kept per connection between requests, and a WebSocket upgrade or an SSE stream (no body)
 * leaves the map once its headers are read. An entry is forgotten when its connection ends before the
 * deadline ({@link #forget}: a request Helidon refused itself, a client gone), so nothing is answered or
 * logged for it.
 */
final class RequestDeadlines implements Http1ConnectionListener {
    private static final System.Logger LOG = System.getLogger(RequestDeadlines.class.getName());

    private final long headNanos;
    private final long bodyNanos;
    private final Phase head;
    private final Phase body;
    private final RefusalLog refusals;
    private final LongSupplier nanoTime;
    private final Map<ConnectionContext, Waiting> waiting = new ConcurrentHashMap<>();
    private final Http1ConnectionListener responses = new Http1ConnectionListener() {
        @Override
        public void status(ConnectionContext ctx, Status status) {
            if (status.code() >= 200) {
                waiting.remove(ctx);
            }
        }
    };

    /** What a request is waiting for, and the answer it gets when that is late. */
    private record Phase(String message, byte[] response) {
        static Phase of(String message) {
            byte[] body = ("{\"error\":{\"code\":\"invalid\",\"message\":\"" + message + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] response = new byte[head.length + body.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(body, 0, response, head.length, body.length);
            return new Phase(message, response);
        }
    }

    private record Waiting(long due, Phase phase, String method, String path) {
    }

    RequestDeadlines(Duration headTimeout, Duration bodyTimeout, RefusalLog refusals) {
        this(headTimeout, bodyTimeout, refusals, System::nanoTime);
    }

    RequestDeadlines(Duration headTimeout, Duration bodyTimeout, RefusalLog refusals, LongSupplier nanoTime) {
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("request-head-timeout must be positive");
        }
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("request-body-timeout must be positive");
        }
        this.headNanos = headTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.refusals = refusals;
        this.nanoTime = nanoTime;
        this.head = Phase.of("the request's headers did not arrive within " + describe(headTimeout)
                + " of its request line");
        this.body = Phase.of("the request's body did not arrive within " + describe(bodyTimeout)
                + " of its headers");
    }

    /** The send-side listener that ends a request's wait for its body when its response starts. */
    Http1ConnectionListener responses() {
        return responses;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        waiting.put(ctx, new Waiting(nanoTime.getAsLong() + headNanos, head, prologue.method().text(),
                prologue.uriPath().rawPath()));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Waiting started = waiting.get(ctx);
        if (started != null && hasBody(headers)) {
            waiting.put(ctx, new Waiting(nanoTime.getAsLong() + bodyNanos, body, started.method(), started.path()));
        } else {
            waiting.remove(ctx);
        }
    }

    /** Forgets the connection's request, if it was still waiting: the connection has ended. */
    void forget(ConnectionContext ctx) {
        waiting.remove(ctx);
    }

    /** Ends every request past its deadline. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<ConnectionContext, Waiting> entry : waiting.entrySet()) {
            Waiting w = entry.getValue();
            if (now - w.due() >= 0 && waiting.remove(entry.getKey(), w)) {
                refuse(entry.getKey(), w);
            }
        }
    }

    /** @return how many requests are waiting for their headers or their body */
    int waiting() {
        return waiting.size();
    }

    private static boolean hasBody(Headers headers) {
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        return headers.first(HeaderNames.CONTENT_LENGTH).map(v -> !v.trim().equals("0")).orElse(false);
    }

    private void refuse(ConnectionContext ctx, Waiting w) {
        refusals.refused(408, "request_timeout", w.method(), w.path(), client(ctx), w.phase().message());
        try {
            // The connection's own thread is blocked reading the request and writes nothing meanwhile.
            ctx.dataWriter().writeNow(BufferData.create(w.phase().response()));
        } catch (RuntimeException gone) {
            LOG.log(System.Logger.Level.TRACE, "the 408 could not be written: the client is gone");
        }
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a connection past its request deadline failed", e);
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
