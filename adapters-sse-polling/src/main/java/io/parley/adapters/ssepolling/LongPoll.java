package io.parley.adapters.ssepolling;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.ConnectionLog;
import io.parley.engine.Frame;
import io.parley.engine.TransportKind;
import io.parley.engine.resumable.Cursor;
import io.parley.engine.resumable.OpenedSession;
import io.parley.engine.resumable.ReaderSlot;
import io.parley.engine.resumable.ResumableHub;
import io.parley.engine.resumable.SessionReader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/poll}: without a cursor, opens a session and answers at once with its {@code welcome};
 * with one, answers as soon as there is something to deliver after the cursor's positions, or empty when
 * the wait ends (up to a fifth early: {@link ResumableHub#pollHold}), always with the next cursor. The
 * answer depends only on the cursor and the store (plus typing and presence that happen during the wait),
 * so polling the same cursor again gives the same durable events: a lost response loses nothing.
 */
final class LongPoll {
    private static final byte[] EVENTS = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger(LongPoll.class.getName());

    private final ResumableHub sessions;
    private final HttpExchange http;
    private final SsePollingSettings settings;

    LongPoll(ResumableHub sessions, HttpExchange http, SsePollingSettings settings) {
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
        try (ReaderSlot slot = sessions.openPoll()) {
            Duration wait = waitOf(req);
            Optional<Cursor> cursor = req.query().first("cursor").asOptional().map(String::strip)
                    .filter(value -> !value.isEmpty()).map(Cursor::decode);
            OpenedSession opened = sessions.open(user, cursor);
            if (!opened.resumed()) {
                ConnectionLog.opened(opened.id(), user.id().value(), TransportKind.LONG_POLL, http.peer(req), false);
                sessions.seen(opened, user);
                Frame welcome = sessions.welcome(user, opened, TransportKind.LONG_POLL);
                HttpExchange.json(res, 200, body(List.of(welcome.utf8()), opened.cursor()));
                return;
            }
            sessions.metrics().sessionOpened(TransportKind.LONG_POLL.wireName());
            Duration hold = sessions.pollHold(wait);
            try (SessionReader reader = sessions.read(opened, user, hold)) {
                slot.attach(reader, token.get().issuedAt());
                List<byte[]> events = poll(reader, slot, hold);
                HttpExchange.json(res, 200, body(events, reader.cursor()));
            } finally {
                sessions.metrics().sessionClosed(TransportKind.LONG_POLL.wireName(), "answered");
            }
        } catch (ParleyException e) {
            http.error(res, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "poll failed", e);
            http.internalError(res);
        }
    }

    private List<byte[]> poll(SessionReader reader, ReaderSlot slot, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<byte[]> events = new ArrayList<>();
        while (true) {
            for (SessionReader.Delivery delivery : reader.collect(settings.batchSize() - events.size())) {
                events.add(sessions.frame(delivery.event()).utf8());
            }
            if (!events.isEmpty() || reader.gone() || slot.closing() || slot.ended().isPresent()
                    || System.nanoTime() - deadline >= 0) {
                return events;
            }
            if (!reader.hasWork()) {
                reader.await(deadline);
            }
        }
    }

    private Duration waitOf(ServerRequest req) {
        Optional<String> raw = req.query().first("wait").asOptional();
        if (raw.isEmpty()) {
            return settings.defaultWait();
        }
        long seconds;
        try {
            seconds = Long.parseLong(raw.get().strip());
        } catch (NumberFormatException e) {
            throw ParleyException.invalid("wait: must be a whole number of seconds");
        }
        if (seconds < 0) {
            throw ParleyException.invalid("wait: must not be negative");
        }
        Duration max = settings.maxWait();
        return seconds >= max.toSeconds() ? max : Duration.ofSeconds(seconds);
    }

    /** The answer: the events' shared UTF-8 bytes, each copied once, and the cursor. */
    private static byte[] body(List<byte[]> events, Cursor cursor) {
        // A cursor is base64url: nothing in it needs escaping.
        byte[] tail = ("],\"cursor\":\"" + cursor.encode() + "\"}").getBytes(StandardCharsets.US_ASCII);
        int length = EVENTS.length + tail.length + Math.max(0, events.size() - 1);
        for (byte[] event : events) {
            length += event.length;
        }
        byte[] body = new byte[length];
        System.arraycopy(EVENTS, 0, body, 0, EVENTS.length);
        int at = EVENTS.length;
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] event = events.get(i);
            System.arraycopy(event, 0, body, at, event.length);
            at += event.length;
        }
        System.arraycopy(tail, 0, body, at, tail.length);
        return body;
    }
}
