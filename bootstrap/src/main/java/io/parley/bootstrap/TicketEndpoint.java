package io.parley.bootstrap;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.wire.CrossOrigin;
import io.parley.wire.HttpAccess;
import io.parley.wire.HttpStatuses;
import io.parley.wire.ProtocolCodec;

import java.util.Optional;

/**
 * {@code POST /v1/tickets}: a connect ticket for the access token in the {@code Authorization} header, to put in
 * a WebSocket or SSE URL ({@code ?ticket=}) instead of the token. Answers
 * {@code 200 {"ticket":"…","expires_in":30}}; the token only in the query ({@code access_token}) is refused
 * with {@code 400 invalid}, since the point is to keep it out of URLs. Same Origin rules and CORS as every
 * HTTP endpoint.
 */
final class TicketEndpoint {
    static final String PATH = "/v1/tickets";

    private final HttpAccess access;
    private final ProtocolCodec codec;

    private TicketEndpoint(HttpAccess access, ProtocolCodec codec) {
        this.access = access;
        this.codec = codec;
    }

    static void register(HttpRouting.Builder routing, HttpAccess access, ProtocolCodec codec) {
        TicketEndpoint endpoint = new TicketEndpoint(access, codec);
        routing.post(PATH, endpoint::issue).options(PATH, endpoint::preflight);
    }

    private void issue(ServerRequest req, ServerResponse res) {
        try {
            CrossOrigin.admit(access, req.headers().first(HeaderNames.ORIGIN)).forEach(res::header);
            Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
            if (authorization.isEmpty() && req.query().first("access_token").isPresent()) {
                throw ParleyException.invalid("send the token as Authorization: Bearer <jwt>, not in the URL");
            }
            TokenVerifier.VerifiedToken token = access.authenticate(authorization, Optional.empty());
            String ticket = access.issueTicket(token);
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
            res.send("{\"ticket\":\"" + ticket + "\",\"expires_in\":" + HttpAccess.TICKET_TTL.toSeconds() + "}");
        } catch (ParleyException e) {
            refused(req, e);
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            res.status(Status.create(HttpStatuses.of(e.code())));
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(codec.encodeError(e.code().wireName(), e.getMessage()));
        }
    }

    private void preflight(ServerRequest req, ServerResponse res) {
        try {
            CrossOrigin.admit(access, req.headers().first(HeaderNames.ORIGIN)).forEach(res::header);
        } catch (ParleyException e) {
            refused(req, e);
            res.status(Status.FORBIDDEN_403);
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(codec.encodeError(e.code().wireName(), e.getMessage()));
            return;
        }
        CrossOrigin.preflightHeaders("POST, OPTIONS").forEach(res::header);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void refused(ServerRequest req, ParleyException e) {
        access.refused(e, req.prologue().method().text(), req.path().path(), req.remotePeer().address(),
                req.headers().first(HeaderNames.X_FORWARDED_FOR), req.headers().first(HeaderNames.ORIGIN));
    }
}
