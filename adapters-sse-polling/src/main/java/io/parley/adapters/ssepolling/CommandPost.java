package io.parley.adapters.ssepolling;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.TokenVerifier;
import io.parley.application.port.out.Topic;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.ServerEvent;
import io.parley.wire.Decoded;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/commands?session=S}: runs one command or an array of them for a resumable session, on
 * whatever node receives it, through the same command handling as a live WebSocket session, and answers
 * with their replies in order. Subscription changes go to the session's record and are announced on the
 * session's topic, so the node serving the stream or poll picks them up.
 */
final class CommandPost {
    private static final System.Logger LOG = System.getLogger(CommandPost.class.getName());

    private final Node node;
    private final HttpExchange http;
    private final SessionDirectory directory;
    private final Liveness liveness;
    private final CommandRates rates;

    CommandPost(Node node, HttpExchange http, SessionDirectory directory, Liveness liveness, CommandRates rates) {
        this.node = node;
        this.http = http;
        this.directory = directory;
        this.liveness = liveness;
        this.rates = rates;
    }

    void serve(ServerRequest req, ServerResponse res) {
        Optional<TokenVerifier.VerifiedToken> token = http.admit(req, res);
        if (token.isEmpty()) {
            return;
        }
        User user = token.get().user();
        try {
            String session = req.query().first("session").asOptional().map(String::strip)
                    .filter(value -> !value.isEmpty())
                    .orElseThrow(() -> ParleyException.invalid("session: required"));
            List<Decoded> commands = node.codec().decodeCommands(req.content().as(String.class));
            if (commands.size() > node.settings().maxCommandsPerPost()) {
                throw ParleyException.tooLarge("at most " + node.settings().maxCommandsPerPost()
                        + " commands per request");
            }
            Instant now = node.clock().instant();
            ResumableSession record = directory.forCommands(user, session, now);
            RecordedSubscriptions subscriptions = new RecordedSubscriptions(node, user, record.id());
            StringBuilder replies = new StringBuilder("[");
            try {
                for (Decoded decoded : commands) {
                    ServerEvent reply = switch (decoded) {
                        case Decoded.Rejected rejected -> rejected.error();
                        case Decoded.Command command -> rates.tryAcquire(record.id())
                                ? node.hub().execute(user, record.id(), subscriptions, command.command())
                                : ServerEvent.Error.of(command.command().ref(), ErrorCode.RATE_LIMITED,
                                "too many commands, slow down");
                    };
                    replies.append(replies.length() == 1 ? "" : ",").append(node.codec().encode(reply));
                }
            } finally {
                if (subscriptions.changed()) {
                    node.fanout().publish(Topic.session(record.id()), new Signal.SessionUpdated(record.id()));
                }
            }
            liveness.used(record.id(), now);
            HttpExchange.json(res, 200, replies.append(']').toString());
        } catch (ParleyException e) {
            http.error(res, e);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "command POST failed", e);
            http.internalError(res);
        }
    }
}
