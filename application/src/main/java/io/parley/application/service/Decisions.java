package io.parley.application.service;

import io.parley.application.port.out.ChatHooks;
import io.parley.application.port.out.ChatHooks.AccessDecision;
import io.parley.application.port.out.ChatHooks.JoinAttempt;
import io.parley.application.port.out.ChatHooks.SendAttempt;
import io.parley.application.port.out.ChatHooks.SendDecision;
import io.parley.domain.ErrorCode;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.Optional;

/** Asks the embedding product's hooks and turns their answers into what the use cases do: go on, or refuse. */
final class Decisions {
    private final ChatContext ctx;

    Decisions(ChatContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param author a member allowed to write in the room
     * @param room   the room
     * @param body   a body within the limits
     * @param edits  the message edited, or empty for a new one
     * @return the body to store
     * @throws ParleyException {@code rejected} with the hook's reason
     */
    String body(User author, RoomId room, String body, Optional<MessageId> edits) {
        if (ctx.hooks() == ChatHooks.NONE) {
            return body; // nothing to ask, nothing to allocate on the send path
        }
        SendAttempt attempt = new SendAttempt(author, room, body, edits);
        return switch (ctx.hooks().beforeSend(attempt)) {
            case SendDecision.Allow allow -> attempt.body();
            case SendDecision.Reject reject -> {
                ctx.metrics().hookDecided("before_send", "reject");
                throw new ParleyException(ErrorCode.REJECTED, reject.reason());
            }
            case SendDecision.Rewrite rewrite -> {
                ctx.metrics().hookDecided("before_send", "rewrite");
                yield ctx.limits().checkBody(rewrite.body());
            }
        };
    }

    /**
     * Asks about a membership Parley's own rules allow.
     *
     * @param actor  who asks for it
     * @param joiner who becomes a member
     * @param room   the room
     * @param way    how
     * @throws ParleyException {@code forbidden} with the hook's reason
     */
    void join(User actor, UserId joiner, RoomId room, JoinAttempt.Way way) {
        if (ctx.hooks() != ChatHooks.NONE) {
            allowed("before_join", ctx.hooks().beforeJoin(new JoinAttempt(actor, joiner, room, way)));
        }
    }

    /**
     * @param user a member of the room
     * @param room the room to subscribe to
     * @throws ParleyException {@code forbidden} with the hook's reason
     */
    void subscribe(User user, RoomId room) {
        if (ctx.hooks() == ChatHooks.NONE) {
            return;
        }
        allowed("before_subscribe", ctx.hooks().beforeSubscribe(user, room));
    }

    private void allowed(String hook, AccessDecision decision) {
        if (decision instanceof AccessDecision.Deny deny) {
            ctx.metrics().hookDecided(hook, "deny");
            throw ParleyException.forbidden(deny.reason());
        }
    }
}
