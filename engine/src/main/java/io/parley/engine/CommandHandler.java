package io.parley.engine;

import io.parley.application.port.in.Converse;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.in.TrackPresence;
import io.parley.application.port.out.ChatMetrics;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carries out a session's commands through the use cases and produces exactly one reply per command: an
 * {@code ack} (or {@code pong}), or an {@code error} with the command's {@code ref} when it fails. Live
 * sessions and sessions without a connection on this node (SSE, long-poll) share it; only where
 * subscriptions are kept differs ({@link SessionSubscriptions}).
 */
final class CommandHandler {
    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());

    private final ManageRooms rooms;
    private final Converse converse;
    private final TrackPresence presence;
    private final ChatMetrics metrics;

    CommandHandler(ManageRooms rooms, Converse converse, TrackPresence presence, ChatMetrics metrics) {
        this.rooms = rooms;
        this.converse = converse;
        this.presence = presence;
        this.metrics = metrics;
    }

    /** Runs a live session's command and queues its reply; a subscription's held-back events follow the ack. */
    void execute(ChatSession session, ClientCommand command) {
        ServerEvent reply = reply(session.user(), session.id(), new LiveSubscriptions(session), command);
        session.reply(reply);
        if (command instanceof ClientCommand.Subscribe subscribe && reply instanceof ServerEvent.Ack) {
            session.subscribed(subscribe.room());
        }
    }

    /** Runs a command and returns its reply; never throws. */
    ServerEvent reply(User user, String sessionId, SessionSubscriptions subscriptions, ClientCommand command) {
        metrics.commandHandled(command.type());
        try {
            return run(user, sessionId, subscriptions, command);
        } catch (ParleyException e) {
            return ServerEvent.Error.of(command.ref(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "command " + command.type() + " failed", e);
            return ServerEvent.Error.of(command.ref(), ErrorCode.INTERNAL, "internal error");
        }
    }

    private ServerEvent run(User user, String sessionId, SessionSubscriptions subscriptions, ClientCommand command) {
        return switch (command) {
            case ClientCommand.Subscribe c ->
                    new ServerEvent.Ack(c.ref(), subscriptions.subscribe(c.room(), c.after()));
            case ClientCommand.SubscribeInbox c -> new ServerEvent.Ack(c.ref(), new ServerEvent.InboxSubscribed(
                    subscriptions.subscribeInbox(c.after())));
            case ClientCommand.Unsubscribe c -> {
                subscriptions.unsubscribe(c.room());
                yield done(c);
            }
            case ClientCommand.UnsubscribeInbox c -> {
                subscriptions.unsubscribeInbox();
                yield done(c);
            }
            case ClientCommand.Join c -> changed(c, rooms.addMember(user, c.room(), user.id()));
            case ClientCommand.Leave c -> changed(c, rooms.removeMember(user, c.room(), user.id()));
            case ClientCommand.Send c -> new ServerEvent.Ack(c.ref(), new ServerEvent.Posted(
                    converse.send(user, new SendMessage(c.room(), c.body(), c.clientId(), c.attachmentUrl(),
                                    c.replyTo(), c.mentions()))
                            .message()));
            case ClientCommand.Edit c ->
                    changed(c, Optional.of(converse.edit(user, c.room(), c.messageId(), c.body())));
            case ClientCommand.Delete c -> changed(c, Optional.of(converse.delete(user, c.room(), c.messageId())));
            case ClientCommand.React c -> changed(c, converse.react(user, c.room(), c.messageId(), c.emoji()));
            case ClientCommand.Unreact c -> changed(c, converse.unreact(user, c.room(), c.messageId(), c.emoji()));
            case ClientCommand.Read c -> changed(c, converse.markRead(user, c.room(), c.seq()));
            case ClientCommand.Typing c -> {
                converse.typing(user, c.room(), c.active());
                yield done(c);
            }
            case ClientCommand.SetPresence c -> {
                presence.set(user, sessionId, c.status());
                yield done(c);
            }
            case ClientCommand.Ping c -> new ServerEvent.Pong(c.ref());
        };
    }

    private static ServerEvent done(ClientCommand command) {
        return new ServerEvent.Ack(command.ref(), new ServerEvent.Done());
    }

    private static ServerEvent changed(ClientCommand command, Optional<RoomEvent> event) {
        return new ServerEvent.Ack(command.ref(),
                event.<ServerEvent.AckResult>map(ServerEvent.Changed::new).orElseGet(ServerEvent.Done::new));
    }

    /** A live session's in-memory subscriptions; the ack's held-back events are released by {@link #execute}. */
    private record LiveSubscriptions(ChatSession session) implements SessionSubscriptions {
        @Override
        public ServerEvent.Subscribed subscribe(RoomId room, OptionalLong after) {
            session.admitSubscription(room);
            return session.subscribe(room, after);
        }

        @Override
        public List<ServerEvent.Subscribed> subscribeInbox(Map<RoomId, Long> after) {
            return session.subscribeInbox(after);
        }

        @Override
        public void unsubscribe(RoomId room) {
            session.unsubscribe(room);
        }

        @Override
        public void unsubscribeInbox() {
            session.unsubscribeInbox();
        }
    }
}
