package io.parley.adapters.ssepolling;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.engine.Peer;
import io.parley.wire.CrossOrigin;
import io.parley.wire.HttpAccess;
import io.parley.wire.HttpStatuses;
import io.parley.wire.ProtocolCodec;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP side shared by the three endpoints: the Origin allow-list (also answering CORS, so pages on
 * another allowed origin can use {@code fetch} and {@code EventSource}), authentication, and JSON errors
 * with the protocol's HTTP statuses.
 */
final class HttpExchange {
    static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final HttpAccess access;
    private final ProtocolCodec codec;

    HttpExchange(HttpAccess access, ProtocolCodec codec) {
        this.access = access;
        this.codec = codec;
    }

    /** Where a request comes from, for the connection log (client address through trusted proxies). */
    Peer peer(ServerRequest req) {
        return access.peer(req.remotePeer().address(), req.headers().first(HeaderNames.X_FORWARDED_FOR),
                req.headers().first(HeaderNames.USER_AGENT));
    }

    /** Counts a refused request for the server log ({@link io.parley.wire.RefusalLog}): no token, no query. */
    void refused(ServerRequest req, ParleyException e) {
        access.refused(e, req.prologue().method().text(), req.path().path(), req.remotePeer().address(),
                req.headers().first(HeaderNames.X_FORWARDED_FOR), req.headers().first(HeaderNames.ORIGIN));
    }

    /**
     * Checks the Origin (answering 403 and returning empty when it is not allowed; adding the CORS headers
     * when it is) and then the token (answering 401 and returning empty when it is not valid).
     *
     * @return the verified token, when the request may go on
     */
    Optional<TokenVerifier.VerifiedToken> admit(ServerRequest req, ServerResponse res) {
        try {
            allowOrigin(req, res);
            return Optional.of(access.authenticate(req.headers().first(HeaderNames.AUTHORIZATION),
                    req.query().first("access_token").asOptional(), req.query().first("ticket").asOptional()));
        } catch (ParleyException e) {
            refused(req, e);
            error(res, e);
            return Optional.empty();
        }
    }

    /** Answers a CORS preflight of one of the transport's paths. */
    void preflight(ServerRequest req, ServerResponse res) {
        try {
            allowOrigin(req, res);
        } catch (ParleyException e) {
            refused(req, e);
            error(res, e);
            return;
        }
        CrossOrigin.preflightHeaders(CrossOrigin.STREAM_METHODS).forEach(res::header);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Answers a refusal as {@code {"error":{"code","message"}}} with the code's HTTP status. */
    void error(ServerResponse res, ParleyException e) {
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        json(res, HttpStatuses.of(e.code()), codec.encodeError(e.code().wireName(), e.getMessage()));
    }

    /**
     * Answers a stream or poll that arrives while the node drains before a restart: 503 with
     * {@code Retry-After: 1}; the client connects again and the load balancer, told by the readiness
     * check, sends it to another node, where it resumes by cursor.
     */
    void refuseWhileDraining(ServerRequest req, ServerResponse res) {
        ParleyException draining = new ParleyException(ErrorCode.UNAVAILABLE, "server restarting, connect again");
        refused(req, draining);
        res.header(HeaderNames.RETRY_AFTER, "1");
        error(res, draining);
    }

    /**
     * The request body as text. A body Helidon refuses to read (over {@code server.max-payload-size}, or
     * malformed chunks) is the client's mistake: 413 or 400, and the connection is closed, since the rest of
     * that body must not be read as a next request.
     */
    static String body(ServerRequest req, ServerResponse res, Consumer<ParleyException> answer) {
        try {
            return req.content().hasEntity() ? req.content().as(String.class) : "";
        } catch (CloseConnectionException e) {
            throw e; // Helidon's own: the socket failed under the read (closed at the body deadline, say)
        } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // the connection is gone: there is nobody to answer
            throw new CloseConnectionException("the client went away", e);
        } catch (RuntimeException e) {
            // Helidon's RequestException (413 over the limit, 400 a bad chunk terminator) or a parse failure of
            // a chunk size: answered, then the connection is closed without reading further.
            boolean tooLarge = e instanceof RequestException refused
                    && refused.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code();
            res.header(HeaderValues.CONNECTION_CLOSE);
            answer.accept(tooLarge ? ParleyException.tooLarge("the request body is over the size limit")
                    : ParleyException.invalid("malformed request body (chunked encoding or length)"));
            throw new CloseConnectionException("request body refused", e);
        }
    }

    /** Answers an unexpected failure without details. */
    void internalError(ServerResponse res) {
        json(res, 500, codec.encodeError(ErrorCode.INTERNAL.wireName(), "internal error"));
    }

    static void json(ServerResponse res, int status, String body) {
        json(res, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static void json(ServerResponse res, int status, byte[] body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        try {
            res.send(body);
        } catch (UncheckedIOException e) {
            throw peerGone(e);
        }
    }

    /**
     * The client went away (a poll it abandoned, a closed stream). Closing the connection quietly keeps
     * Helidon from retrying the write and logging the request line, whose query may hold an access token.
     */
    static CloseConnectionException peerGone(Exception cause) {
        return new CloseConnectionException("the client went away", cause);
    }

    /** Refuses (403) a page from an origin off the allow-list; adds the CORS headers otherwise. */
    private void allowOrigin(ServerRequest req, ServerResponse res) {
        CrossOrigin.admit(access, req.headers().first(HeaderNames.ORIGIN)).forEach(res::header);
    }
}
