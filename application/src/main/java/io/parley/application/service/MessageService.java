package io.parley.application.service;

import io.parley.application.port.in.Converse;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.in.SendResult;
import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ChatLimits;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.MessagePolicy;
import io.parley.domain.ParleyException;
import io.parley.domain.Reaction;
import io.parley.domain.ReplyPreview;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomPolicy;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Message, receipt, history and typing use cases. */
public final class MessageService implements Converse {
    private final ChatContext ctx;
    private final Access access;
    private final EventPublisher publisher;
    private final TypingIndicators typing;
    private final Decisions decisions;

    private MessageService(ChatContext ctx, EventPublisher publisher, TypingIndicators typing) {
        this.ctx = ctx;
        this.access = new Access(ctx.rooms());
        this.publisher = publisher;
        this.typing = typing;
        this.decisions = new Decisions(ctx);
    }

    /**
     * @param ctx       ports and settings
     * @param publisher where stored events go
     * @param typing    typing indicators of this node
     * @return the service
     */
    public static MessageService create(ChatContext ctx, EventPublisher publisher, TypingIndicators typing) {
        return new MessageService(ctx, publisher, typing);
    }

    @Override
    public SendResult send(User actor, SendMessage command) {
        String body = ctx.limits().checkBody(command.body());
        Optional<String> attachment = command.attachmentUrl().map(ctx.limits()::checkAttachmentUrl);
        Optional<String> clientId = command.clientId().map(ctx.limits()::checkClientId);
        List<UserId> mentions = mentions(actor, command.mentions());
        RoomPolicy.checkWritable(access.requireMember(command.room(), actor.id()));
        Optional<ReplyPreview> replyTo = command.replyTo().map(parent -> ReplyPreview.of(ctx.log()
                .message(command.room(), parent).filter(m -> !m.deleted())
                .orElseThrow(() -> ParleyException.notFound("the message replied to is not in this room"))));
        User author = new User(actor.id(), ctx.limits().fitDisplayName(actor.displayName()));
        String stored = decisions.body(author, command.room(), body, Optional.empty());
        return post(new EventDraft.Post(command.room(), MessageId.of(ctx.ids().next()), author, stored,
                attachment, clientId, ctx.clock().instant(), replyTo, mentions));
    }

    @Override
    public SendResult announce(RoomId room, String body, String name, Optional<String> clientId,
                               List<UserId> mentions) {
        String checked = ctx.limits().checkBody(body);
        Optional<String> key = clientId.map(ctx.limits()::checkClientId);
        User system = new User(UserId.SYSTEM, ctx.limits().fitDisplayName(name));
        List<UserId> named = mentions(system, mentions);
        RoomPolicy.checkWritable(access.room(room));
        return post(new EventDraft.Post(room, MessageId.of(ctx.ids().next()), system, checked, Optional.empty(), key,
                ctx.clock().instant(), Optional.empty(), named));
    }

    private SendResult post(EventDraft.Post draft) {
        return switch (ctx.log().append(draft)) {
            case AppendOutcome.Appended appended -> {
                publisher.published(appended.event());
                yield new SendResult(((RoomEvent.MessagePosted) appended.event()).message(), false);
            }
            case AppendOutcome.AlreadyPosted retry -> new SendResult(retry.original(), true);
            case AppendOutcome.Unchanged unchanged -> throw new IllegalStateException("a post always appends");
        };
    }

    @Override
    public RoomEvent edit(User actor, RoomId room, MessageId messageId, String body) {
        String checked = ctx.limits().checkBody(body);
        RoomPolicy.checkWritable(access.requireMember(room, actor.id()));
        MessagePolicy.checkEdit(message(room, messageId), actor.id());
        String stored = decisions.body(actor, room, checked, Optional.of(messageId));
        return changed(new EventDraft.Edit(room, messageId, stored, ctx.clock().instant()));
    }

    @Override
    public RoomEvent delete(User actor, RoomId roomId, MessageId messageId) {
        Room room = access.room(roomId);
        Role role = access.requireRole(roomId, actor.id()); // members only, before anything else is told
        RoomPolicy.checkWritable(room);
        MessagePolicy.checkDelete(message(roomId, messageId), room, role, actor.id());
        return changed(new EventDraft.Delete(roomId, messageId, ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> markRead(User actor, RoomId room, long upTo) {
        if (upTo < 0) {
            throw ParleyException.invalid("seq must not be negative");
        }
        access.requireMember(room, actor.id());
        long bounded = Math.min(upTo, ctx.log().lastSeq(room));
        return appendedIfChanged(new EventDraft.Read(room, actor.id(), bounded, ctx.clock().instant()));
    }

    @Override
    public HistoryPage history(User actor, RoomId room, HistoryQuery query) {
        access.requireMember(room, actor.id());
        HistoryPage page = ctx.log().history(room, query);
        List<MessageId> reacted = page.messages().stream().filter(m -> !m.reactions().isEmpty()).map(Message::id)
                .toList();
        if (reacted.isEmpty()) {
            return page;
        }
        Map<MessageId, Set<String>> mine = ctx.log().reactedBy(room, actor.id(), reacted);
        return new HistoryPage(page.messages().stream().map(m -> {
            Set<String> own = mine.getOrDefault(m.id(), Set.of());
            return own.isEmpty() ? m : m.withReactions(m.reactions().stream()
                    .map(r -> r.asSeenBy(own.contains(r.emoji()))).toList());
        }).toList(), page.hasMore());
    }

    @Override
    public Optional<RoomEvent> react(User actor, RoomId room, MessageId messageId, String emoji) {
        String checked = Reaction.checkEmoji(emoji);
        RoomPolicy.checkWritable(access.requireMember(room, actor.id()));
        return appendedIfChanged(new EventDraft.React(room, messageId, checked, actor.id(), ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> unreact(User actor, RoomId room, MessageId messageId, String emoji) {
        String checked = Reaction.checkEmoji(emoji);
        RoomPolicy.checkWritable(access.requireMember(room, actor.id()));
        return appendedIfChanged(new EventDraft.Unreact(room, messageId, checked, actor.id(), ctx.clock().instant()));
    }

    private Optional<RoomEvent> appendedIfChanged(EventDraft draft) {
        if (ctx.log().append(draft) instanceof AppendOutcome.Appended appended) {
            publisher.published(appended.event());
            return Optional.of(appended.event());
        }
        return Optional.empty();
    }

    @Override
    public SearchPage search(User actor, SearchQuery query) {
        int perMinute = ctx.usage().searchesPerUserPerMinute();
        if (ctx.counters().take("search:" + actor.id().value(), 1, perMinute, perMinute / 60.0) == 0) {
            ctx.metrics().limitRefused("searches_per_minute");
            throw new ParleyException(ErrorCode.RATE_LIMITED, "at most " + perMinute
                    + " searches a minute: try again shortly");
        }
        return ctx.log().search(actor.id(), query);
    }

    @Override
    public void typing(User actor, RoomId room, boolean active) {
        RoomPolicy.checkWritable(access.requireMember(room, actor.id()));
        typing.set(room, actor.id(), active);
    }

    /** The users a message mentions: each once, in the order given, never its author; at most the limit. */
    private static List<UserId> mentions(User actor, List<UserId> named) {
        if (named.isEmpty()) {
            return named;
        }
        List<UserId> distinct = named.stream().distinct().filter(user -> !user.equals(actor.id())).toList();
        if (distinct.size() > ChatLimits.MAX_MENTIONS) {
            throw ParleyException.tooLarge("a message mentions at most " + ChatLimits.MAX_MENTIONS + " users");
        }
        return distinct;
    }

    private Message message(RoomId room, MessageId id) {
        return ctx.log().message(room, id).orElseThrow(() -> ParleyException.notFound("no such message"));
    }

    private RoomEvent changed(EventDraft draft) {
        if (ctx.log().append(draft) instanceof AppendOutcome.Appended appended) {
            publisher.published(appended.event());
            return appended.event();
        }
        // Lost a race with a concurrent delete.
        throw ParleyException.notFound("message was deleted");
    }
}
