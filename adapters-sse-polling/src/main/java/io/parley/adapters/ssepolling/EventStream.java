package io.parley.adapters.ssepolling;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.CloseReason;
import io.parley.engine.ConnectionLog;
import io.parley.engine.Peer;
import io.parley.engine.TransportKind;
import io.parley.engine.resumable.Cursor;
import io.parley.engine.resumable.OpenedSession;
import io.parley.engine.resumable.ReaderSlot;
import io.parley.engine.resumable.ResumableHub;
import io.parley.engine.resumable.SessionReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/events}: one SSE stream of a resumable session, written by hand on the response stream
 * by the request's own (virtual) thread, which also reads the events: {@code retry:} first, then the
 * {@code welcome}, then events as they come, each durable one with the cursor after it as its {@code id:},
 * a comment when nothing was written for a heartbeat interval, and a named {@code close} event when the
 * server ends the stream.
 */
final class EventStream {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    /** Beyond this a token's expiry counts as never (a test's {@code Instant.MAX} has no epoch millis). */
    private static final Instant FAR_FUTURE = Instant.ofEpochMilli(Long.MAX_VALUE / 2);
    /** Wake-ups per call of {@link Pump#steps}: the loop in {@code pump} around it runs interpreted. */
    private static final int STEPS_PER_CALL = 64;

    private final ResumableHub sessions;
    private final HttpExchange http;
    private final SsePollingSettings settings;

    EventStream(ResumableHub sessions, HttpExchange http, SsePollingSettings settings) {
        this.sessions = sessions;
        this.http = http;
        this.settings = settings;
    }

    void serve(ServerRequest req, ServerResponse res) {
        Optional<TokenVerifier.VerifiedToken> token = http.admit(req, res);
        if (token.isEmpty()) {
            return;
        }
        if (!sessions.accepting()) {
            http.refuseWhileDraining(req, res);
            return;
        }
        User user = token.get().user();
        Optional<ReaderSlot> slot = sessions.openStream(user.id());
        if (slot.isEmpty()) {
            http.error(res, new ParleyException(ErrorCode.RATE_LIMITED, "too many open event streams; close one"));
            return;
        }
        try (ReaderSlot stream = slot.get()) {
            OpenedSession opened;
            SessionReader reader;
            try {
                opened = sessions.open(user, cursor(req));
                reader = sessions.read(opened, user, Duration.ZERO);
            } catch (ParleyException e) {
                http.error(res, e);
                return;
            }
            Peer peer = http.peer(req);
            ConnectionLog.opened(opened.id(), user.id().value(), TransportKind.SSE, peer, opened.resumed());
            try (reader) {
                stream.attach(reader, token.get().issuedAt());
                stream(res, user, token.get(), opened, reader, stream, peer);
            } finally {
                sessions.left(opened);
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

    private void stream(ServerResponse res, User user, TokenVerifier.VerifiedToken token, OpenedSession opened,
                        SessionReader reader, ReaderSlot slot, Peer peer) {
        res.headers().contentType(MediaTypes.TEXT_EVENT_STREAM);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set(HeaderNames.create("X-Accel-Buffering"), "no");
        sessions.metrics().sessionOpened(TransportKind.SSE.wireName());
        long started = System.nanoTime();
        String ended = "peer_closed";
        int code = -1; // none unless the server ends the stream with a close event
        SseWriter out = new SseWriter(res.outputStream(), slot);
        try {
            CloseReason reason;
            try {
                reason = pump(out, user, token, opened, reader, slot);
                ended = reader.gone() ? "expired" : reason.name().toLowerCase(Locale.ROOT);
            } catch (ParleyException e) {
                // The store or broker failed; the client reconnects, to any node, and resumes.
                LOG.log(System.Logger.Level.WARNING, "event stream of session " + opened.id()
                        + " ended: " + e.getMessage());
                reason = CloseReason.GOING_AWAY;
                ended = "unavailable";
            }
            code = reason.code();
            out.close(reason);
            if (res instanceof RoutingResponse routing) {
                routing.commit(); // here, so that a client already gone fails this stream quietly
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "event stream of session " + opened.id() + " ended", e);
            abandon(res);
            throw HttpExchange.peerGone(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = "stalled";
            abandon(res);
            throw HttpExchange.peerGone(e);
        } finally {
            sessions.metrics().sessionClosed(TransportKind.SSE.wireName(), ended);
            ConnectionLog.closed(opened.id(), user.id().value(), TransportKind.SSE, peer,
                    Duration.ofNanos(System.nanoTime() - started), code, ended, -1, out.events());
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

    /** @return the instant in milliseconds since the epoch, saturated at {@link Long#MAX_VALUE} */
    private static long epochMillis(Instant instant) {
        return instant.isAfter(FAR_FUTURE) ? Long.MAX_VALUE : instant.toEpochMilli();
    }

    /** Writes the welcome and then events until the server ends the stream; returns why it ends. */
    private CloseReason pump(SseWriter out, User user, TokenVerifier.VerifiedToken token, OpenedSession opened,
                             SessionReader reader, ReaderSlot slot) throws IOException, InterruptedException {
        out.retry(settings.retry().toMillis());
        Cursor cursor = reader.cursor();
        out.event(cursor.encode(), sessions.welcome(user, opened, TransportKind.SSE).utf8());
        out.flush();
        Pump pump = new Pump(out, user, token, reader, slot, cursor);
        CloseReason reason;
        do {
            reason = pump.steps(STEPS_PER_CALL);
        } while (reason == null);
        return reason;
    }

    /**
     * One stream's loop state. The loop's body is {@link #step()}, a method called once per wake-up, not a
     * loop inside one long call: a stream's virtual thread stays in its first call for the stream's whole
     * life, and HotSpot moves a running interpreted loop to compiled code only when that loop's back-edge
     * counter overflows (every 1,024 back-edges, counted over all streams), so with a thousand streams at a
     * few events a second most of them ran the loop's body in the interpreter for minutes (perf: 7 % of the
     * SSE row's server CPU in the interpreter, JFR: interpreted {@code pump} frames). A call that returns
     * enters the compiled code as soon as there is one. The loop that stays in {@code pump} comes round
     * once per {@value #STEPS_PER_CALL} wake-ups ({@link #steps}): a stream that wakes resumes in compiled
     * frames, not in an interpreted one.
     */
    private final class Pump {
        private final SseWriter out;
        private final User user;
        private final TokenVerifier.VerifiedToken token;
        private final SessionReader reader;
        private final ReaderSlot slot;
        private final long tokenExpiryMillis;
        private final long heartbeat;
        private final Cursor.Tokens ids;
        private final TreeMap<Long, Long> positions;
        private long lastWrite;
        private long nextRefresh;

        Pump(SseWriter out, User user, TokenVerifier.VerifiedToken token, SessionReader reader, ReaderSlot slot,
             Cursor cursor) {
            this.out = out;
            this.user = user;
            this.token = token;
            this.reader = reader;
            this.slot = slot;
            this.tokenExpiryMillis = epochMillis(token.expiresAt());
            this.heartbeat = sessions.heartbeat().toNanos();
            this.ids = new Cursor.Tokens(cursor.session());
            this.positions = new TreeMap<>(cursor.positions());
            // Counted from a moment before the welcome (a phase of its own), so that the streams of a
            // reconnect storm write their comments and refresh their records spread over the interval, not
            // in one tick.
            this.lastWrite = System.nanoTime() - sessions.heartbeatPhase().toNanos();
            this.nextRefresh = lastWrite + heartbeat;
        }

        /**
         * Runs {@link #step()} up to {@code max} times.
         *
         * @param max the most steps before returning (and being called again)
         * @return why the stream ends, or null when it goes on
         */
        CloseReason steps(int max) throws IOException, InterruptedException {
            for (int i = 0; i < max; i++) {
                CloseReason reason = step();
                if (reason != null) {
                    return reason;
                }
            }
            return null;
        }

        /**
         * Writes what is ready, keeps the stream alive, then waits for more.
         *
         * @return why the stream ends, or null while it goes on
         */
        CloseReason step() throws IOException, InterruptedException {
            if (slot.ended().isPresent()) {
                return slot.ended().get(); // the backend disconnected or revoked the user
            }
            if (slot.closing() || reader.gone()) {
                return CloseReason.GOING_AWAY;
            }
            long tokenLeftMillis = tokenExpiryMillis - sessions.clock().millis();
            if (tokenLeftMillis <= 0) {
                return CloseReason.TOKEN_EXPIRED;
            }
            List<SessionReader.Delivery> batch = reader.collect(settings.batchSize());
            if (!batch.isEmpty()) {
                write(batch);
            }
            long now = System.nanoTime();
            if (now - nextRefresh >= 0) {
                if (sessions.revoked(user.id(), token.issuedAt())) {
                    return CloseReason.TOKEN_REVOKED; // the signal that ends it at once was lost
                }
                reader.refresh();
                nextRefresh = now + heartbeat;
            }
            if (now - lastWrite >= heartbeat) {
                out.comment("heartbeat");
                out.flush();
                lastWrite = now;
            }
            // After a batch, nothing more is ready unless the reader says so: wait at once instead of
            // collecting again for nothing (what arrived meanwhile makes the wait return at once).
            if (!reader.hasWork()) {
                long untilExpiry = Math.min(heartbeat, TimeUnit.MILLISECONDS.toNanos(tokenLeftMillis));
                reader.await(Math.min(Math.min(lastWrite + heartbeat, nextRefresh), now + untilExpiry));
            }
            return null;
        }

        private void write(List<SessionReader.Delivery> batch) throws IOException {
            for (SessionReader.Delivery delivery : batch) {
                byte[] data = sessions.frame(delivery.event()).utf8();
                if (delivery.durable()) {
                    positions.put(delivery.version(), delivery.seq());
                    out.event(ids.token(), ids.encode(positions), data);
                } else {
                    out.data(data);
                }
            }
            out.flush();
            reader.positions(positions); // drops the subscriptions that ended
            lastWrite = System.nanoTime();
        }
    }
}
