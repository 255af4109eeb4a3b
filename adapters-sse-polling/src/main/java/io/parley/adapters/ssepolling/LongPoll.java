package io.parley.adapters.ssepolling;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.Frame;
import io.parley.engine.ServerEvent;
import io.parley.engine.TransportKind;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/poll}: without a cursor, opens a session and answers at once with its {@code welcome};
 * with one, answers as soon as there is something to deliver after the cursor's positions, or empty when
 * the wait ends, always with the next cursor. The answer depends only on the cursor and the store (plus
 * typing and presence that happen during the wait), so polling the same cursor again gives the same
 * durable events: a lost response loses nothing.
 */
final class LongPoll {
    private static final byte[] EVENTS = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger(LongPoll.class.getName());

    private final Node node;
    private final HttpExchange http;
    private final SessionDirectory directory;
    private final Liveness liveness;
    private final Readers readers;

    LongPoll(Node node, HttpExchange http, SessionDirectory directory, Liveness liveness, Readers readers) {
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
        try (Readers.Slot slot = readers.openPoll()) {
            Duration wait = waitOf(req);
            Optional<Cursor> cursor = req.query().first("cursor").asOptional().map(String::strip)
                    .filter(value -> !value.isEmpty()).map(Cursor::decode);
            Instant now = node.clock().instant();
            SessionDirectory.Opened opened = directory.openOrResume(user, cursor, now);
            if (!opened.resumed()) {
                liveness.seen(opened.record(), user, now);
                Frame welcome = Frame.encode(new ServerEvent.Welcome(user.id(), opened.record().id(),
                        TransportKind.LONG_POLL, node.heartbeat().toMillis(), false), node.codec());
                HttpExchange.json(res, 200, body(List.of(welcome.utf8()), opened.cursor()));
                return;
            }
            ResumableSession record = liveness.seen(opened.record(), user, now.plus(wait))
                    .orElse(opened.record());
            node.metrics().sessionOpened(TransportKind.LONG_POLL.wireName());
            try (SessionReader reader = SessionReader.open(node, record, opened.cursor())) {
                slot.attach(reader.mailbox());
                List<byte[]> events = poll(reader, slot, wait);
                HttpExchange.json(res, 200, body(events, reader.cursor()));
            } finally {
                node.metrics().sessionClosed(TransportKind.LONG_POLL.wireName(), "answered");
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

    private List<byte[]> poll(SessionReader reader, Readers.Slot slot, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<byte[]> events = new ArrayList<>();
        while (true) {
            for (SessionReader.Delivery delivery : reader.collect(node.settings().batchSize() - events.size())) {
                events.add(node.encodings().frame(delivery.event()).utf8());
            }
            if (!events.isEmpty() || reader.gone() || slot.closing() || System.nanoTime() - deadline >= 0) {
                return events;
            }
            if (!reader.hasWork()) {
                reader.mailbox().await(deadline);
            }
        }
    }

    private Duration waitOf(ServerRequest req) {
        Optional<String> raw = req.query().first("wait").asOptional();
        if (raw.isEmpty()) {
            return node.settings().defaultWait();
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
        Duration max = node.settings().maxWait();
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
