package io.parley.adapters.ssepolling;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.ServerEvent;
import io.parley.engine.resumable.CommandBatch;
import io.parley.engine.resumable.ResumableHub;
import io.parley.wire.Decoded;
import io.parley.wire.ProtocolCodec;

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

    private final ResumableHub sessions;
    private final HttpExchange http;
    private final ProtocolCodec codec;
    private final SsePollingSettings settings;

    CommandPost(ResumableHub sessions, HttpExchange http, ProtocolCodec codec, SsePollingSettings settings) {
        this.sessions = sessions;
        this.http = http;
        this.codec = codec;
        this.settings = settings;
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
            List<Decoded> commands = codec.decodeCommands(HttpExchange.body(req, res, e -> http.error(res, e)));
            if (commands.size() > settings.maxCommandsPerPost()) {
                throw ParleyException.tooLarge("at most " + settings.maxCommandsPerPost()
                        + " commands per request");
            }
            StringBuilder replies = new StringBuilder("[");
            try (CommandBatch batch = sessions.commands(user, session)) {
                for (Decoded decoded : commands) {
                    ServerEvent reply = switch (decoded) {
                        case Decoded.Rejected rejected -> rejected.error();
                        case Decoded.Command command -> batch.run(command.command());
                    };
                    replies.append(replies.length() == 1 ? "" : ",").append(codec.encode(reply));
                }
            }
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
