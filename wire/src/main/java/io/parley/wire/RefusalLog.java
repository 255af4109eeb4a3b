package io.parley.wire;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.engine.ConnectionLog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The server log's account of requests refused before they became a session or reached a use case — an
 * origin off the allow-list, a missing or expired token, a WebSocket request without its upgrade headers,
 * HTTP/1.0, a node draining for a restart — so that a misconfigured proxy or client shows up in the log
 * and not only in a browser's console. At most one line per kind of refusal (status and reason) per
 * interval, counting the refusals since the last line, on the logger {@value #LOGGER} at WARNING:
 *
 * <pre>refused 12 request(s) with 403 forbidden in the last 60 s, e.g. GET /v1/ws from 198.51.100.7: origin not allowed (Origin https://evil.example)</pre>
 *
 * Never a token: the path is given without its query, and client-chosen values are cut and escaped. A
 * server has one ({@link HttpAccess#refusals()}), shared by its transports.
 */
public final class RefusalLog {
    /** The logger the lines go to. */
    public static final String LOGGER = "io.parley.refusals";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** A log with a line per kind of refusal per minute at most. */
    public RefusalLog() {
        this(System::nanoTime, Duration.ofMinutes(1));
    }

    RefusalLog(LongSupplier nanoTime, Duration interval) {
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    private final class Window {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastLine = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
    }

    /**
     * A request was refused with a {@link ParleyException} (its code gives the status and the reason).
     *
     * @param refusal the refusal the client got
     * @param method  the request's method
     * @param path    its path, without the query
     * @param client  the client's address
     */
    public void refused(ParleyException refusal, String method, String path, String client) {
        refused(refusal, method, path, client, Optional.empty());
    }

    /**
     * As {@link #refused(ParleyException, String, String, String)}, naming the page's origin when that was
     * what the request was refused for.
     *
     * @param refusal the refusal the client got
     * @param method  the request's method
     * @param path    its path, without the query
     * @param client  the client's address
     * @param origin  the request's {@code Origin} header, if any
     */
    public void refused(ParleyException refusal, String method, String path, String client, Optional<String> origin) {
        String detail = refusal.getMessage()
                + (refusal.code() == ErrorCode.FORBIDDEN && origin.isPresent() ? " (Origin " + origin.get() + ")" : "");
        refused(HttpStatuses.of(refusal.code()), refusal.code().wireName(), method, path, client, detail);
    }

    /**
     * A request was refused.
     *
     * @param status the HTTP status it got
     * @param reason a word for the kind of refusal ({@code forbidden}, {@code upgrade_required} …)
     * @param method the request's method
     * @param path   its path, without the query
     * @param client the client's address, {@code "-"} when unknown
     * @param detail what was wrong and, where the server knows it, the fix
     */
    public void refused(int status, String reason, String method, String path, String client, String detail) {
        if (!LOG.isLoggable(System.Logger.Level.WARNING)) {
            return;
        }
        Window window = windows.computeIfAbsent(status + " " + reason, key -> new Window());
        long count = window.count.incrementAndGet();
        long last = window.lastLine.get();
        long now = nanoTime.getAsLong();
        if (now - last < intervalNanos || !window.lastLine.compareAndSet(last, now)) {
            return;
        }
        window.count.addAndGet(-count);
        int query = path.indexOf('?');
        LOG.log(System.Logger.Level.WARNING, "refused " + count + " request(s) with " + status + " " + reason
                + " in the last " + intervalNanos / 1_000_000_000L + " s, e.g. " + ConnectionLog.printable(method) + " "
                + ConnectionLog.printable(query < 0 ? path : path.substring(0, query)) + " from "
                + ConnectionLog.printable(client) + ": " + ConnectionLog.printable(detail, 1_000));
    }
}
