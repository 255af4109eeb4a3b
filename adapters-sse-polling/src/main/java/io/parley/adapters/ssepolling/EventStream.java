package io.parley.adapters.ssepolling;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.CloseReason;
import io.parley.engine.Frame;
import io.parley.engine.ServerEvent;
import io.parley.engine.TransportKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /v1/events}: one SSE stream of a resumable session, written by hand on the response stream
 * by the request's own (virtual) thread, which also reads the events: {@code retry:} first, then the
 * {@code welcome}, then events as they come, each durable one with the cursor after it as its {@code id:},
 * a comment when nothing was written for a heartbeat interval, and a named {@code close} event when the
 * server ends the stream.
 */
final class EventStream {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    private final Node node;
    private final HttpExchange http;
    private final SessionDirectory directory;
    private final Liveness liveness;
    private final Readers readers;

    EventStream(Node node, HttpExchange http, SessionDirectory directory, Liveness liveness, Readers readers) {
        this.node = node;
        this.http = http;
        this.directory = directory;
        this.liveness = liveness;
        this.readers = readers;
    }

    void serve(ServerRequest req, ServerResponse res) {
        Optional<TokenVerifier.VerifiedToken> token = http.admit(req, res);
        if (token.isEmpty()) {
            return;
        }
        User user = token.get().user();
        Optional<Readers.Slot> slot = readers.openStream(user.id());
        if (slot.isEmpty()) {
            http.error(res, new ParleyException(ErrorCode.RATE_LIMITED, "too many open event streams; close one"));
            return;
        }
        try (Readers.Slot stream = slot.get()) {
            SessionDirectory.Opened opened;
            SessionReader reader;
            try {
                Optional<Cursor> cursor = cursor(req);
                Instant now = node.clock().instant();
                opened = directory.openOrResume(user, cursor, now);
                ResumableSession record = liveness.seen(opened.record(), user, now).orElse(opened.record());
                reader = SessionReader.open(node, record, opened.cursor());
            } catch (ParleyException e) {
                http.error(res, e);
                return;
            }
            try (reader) {
                stream.attach(reader.mailbox());
                stream(res, user, token.get().expiresAt(), opened, reader, stream);
            } finally {
                liveness.left(opened.record(), node.clock().instant());
            }
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event stream failed", e);
        }
    }

    /** {@code Last-Event-ID} (the browser's own reconnect) wins over {@code ?cursor=} (kept in the URL). */
    private static Optional<Cursor> cursor(ServerRequest req) {
        return req.headers().first(HttpExchange.LAST_EVENT_ID)
                .or(() -> req.query().first("cursor").asOptional())
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .map(Cursor::decode);
    }

    private void stream(ServerResponse res, User user, Instant tokenExpiry, SessionDirectory.Opened opened,
                        SessionReader reader, Readers.Slot slot) {
        res.headers().contentType(MediaTypes.TEXT_EVENT_STREAM);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set(HeaderNames.create("X-Accel-Buffering"), "no");
        node.metrics().sessionOpened(TransportKind.SSE.wireName());
        String ended = "peer_closed";
        try {
            SseWriter out = new SseWriter(res.outputStream(), slot);
            CloseReason reason;
            try {
                reason = pump(out, user, tokenExpiry, opened, reader, slot);
                ended = reader.gone() ? "expired" : reason.name().toLowerCase(Locale.ROOT);
            } catch (ParleyException e) {
                // The store or broker failed; the client reconnects, to any node, and resumes.
                LOG.log(System.Logger.Level.WARNING, "event stream of session " + opened.record().id()
                        + " ended: " + e.getMessage());
                reason = CloseReason.GOING_AWAY;
                ended = "unavailable";
            }
            out.close(reason);
            if (res instanceof RoutingResponse routing) {
                routing.commit(); // here, so that a client already gone fails this stream quietly
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "event stream of session " + opened.record().id() + " ended", e);
            abandon(res);
            throw HttpExchange.peerGone(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = "stalled";
            abandon(res);
            throw HttpExchange.peerGone(e);
        } finally {
            node.metrics().sessionClosed(TransportKind.SSE.wireName(), ended);
        }
    }

    /**
     * The client is gone: marks the response as finished so that Helidon does not try to finish it again,
     * fail, and log the request line (whose query may hold the access token). With the listener's
     * {@code write-buffer-size} at 0 nothing is left in Helidon's buffer, and this commit is its last write.
     */
    private static void abandon(ServerResponse res) {
        try {
            if (res instanceof RoutingResponse routing) {
                routing.commit();
            }
        } catch (RuntimeException expected) {
            LOG.log(System.Logger.Level.TRACE, "the response could not be finished: the client is gone");
        }
    }

    /** Writes the welcome and then events until the server ends the stream; returns why it ends. */
    private CloseReason pump(SseWriter out, User user, Instant tokenExpiry, SessionDirectory.Opened opened,
                             SessionReader reader, Readers.Slot slot) throws IOException, InterruptedException {
        long heartbeat = node.heartbeat().toNanos();
        out.retry(node.settings().retry().toMillis());
        Cursor cursor = reader.cursor();
        out.event(cursor.encode(), Frame.encode(new ServerEvent.Welcome(user.id(), opened.record().id(),
                TransportKind.SSE, node.heartbeat().toMillis(), opened.resumed()), node.codec()).utf8());
        out.flush();
        long lastWrite = System.nanoTime();
        long nextRefresh = lastWrite + heartbeat;
        while (true) {
            if (slot.closing() || reader.gone()) {
                return CloseReason.GOING_AWAY;
            }
            Duration tokenLeft = Duration.between(node.clock().instant(), tokenExpiry);
            if (tokenLeft.isNegative() || tokenLeft.isZero()) {
                return CloseReason.TOKEN_EXPIRED;
            }
            List<SessionReader.Delivery> batch = reader.collect(node.settings().batchSize());
            if (!batch.isEmpty()) {
                TreeMap<Long, Long> positions = new TreeMap<>(cursor.positions());
                for (SessionReader.Delivery delivery : batch) {
                    byte[] data = node.encodings().frame(delivery.event()).utf8();
                    if (delivery.durable()) {
                        positions.put(delivery.version(), delivery.seq());
                        out.event(Cursor.encode(cursor.session(), positions), data);
                    } else {
                        out.data(data);
                    }
                }
                out.flush();
                cursor = reader.cursor();
                lastWrite = System.nanoTime();
            }
            long now = System.nanoTime();
            if (now - nextRefresh >= 0) {
                // Keeps the session live and its record fresh; the record read back also brings any
                // subscription change whose signal was lost.
                liveness.seen(opened.record(), user, node.clock().instant()).ifPresent(reader::replaced);
                nextRefresh = now + heartbeat;
            }
            if (now - lastWrite >= heartbeat) {
                out.comment("heartbeat");
                out.flush();
                lastWrite = now;
            }
            if (batch.isEmpty() && !reader.hasWork()) {
                long untilExpiry = tokenLeft.compareTo(Duration.ofNanos(heartbeat)) > 0 ? heartbeat
                        : tokenLeft.toNanos();
                reader.mailbox().await(Math.min(Math.min(lastWrite + heartbeat, nextRefresh), now + untilExpiry));
            }
        }
    }
}
