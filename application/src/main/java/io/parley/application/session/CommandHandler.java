package io.parley.application.session;

import io.parley.application.port.in.Converse;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.in.SendMessage;
import io.parley.application.service.PresenceTracker;
import io.parley.domain.RoomEvent;

import java.util.Optional;

/**
 * Carries out a session's commands through the use cases and queues exactly one reply per command:
 * an {@code ack} (or {@code pong}); failures surface as exceptions that the session turns into an
 * {@code error} with the command's {@code ref}.
 */
final class CommandHandler {
    private final ManageRooms rooms;
    private final Converse converse;
    private final PresenceTracker presence;

    CommandHandler(ManageRooms rooms, Converse converse, PresenceTracker presence) {
        this.rooms = rooms;
        this.converse = converse;
        this.presence = presence;
    }

    void execute(ChatSession session, ClientCommand command) {
        var user = session.user();
        switch (command) {
            case ClientCommand.Subscribe c -> {
                ServerEvent.Subscribed result = session.subscribe(c.room(), c.after());
                session.reply(new ServerEvent.Ack(c.ref(), result));
                session.subscribed(c.room());
            }
            case ClientCommand.SubscribeInbox c ->
                    session.reply(new ServerEvent.Ack(c.ref(), new ServerEvent.InboxSubscribed(
                            session.subscribeInbox(c.after()))));
            case ClientCommand.Unsubscribe c -> {
                session.unsubscribe(c.room());
                done(session, c);
            }
            case ClientCommand.UnsubscribeInbox c -> {
                session.unsubscribeInbox();
                done(session, c);
            }
            case ClientCommand.Join c -> changed(session, c, rooms.addMember(user, c.room(), user.id()));
            case ClientCommand.Leave c -> changed(session, c, rooms.removeMember(user, c.room(), user.id()));
            case ClientCommand.Send c -> session.reply(new ServerEvent.Ack(c.ref(), new ServerEvent.Posted(
                    converse.send(user, new SendMessage(c.room(), c.body(), c.clientId(), c.attachmentUrl()))
                            .message())));
            case ClientCommand.Edit c ->
                    changed(session, c, Optional.of(converse.edit(user, c.room(), c.messageId(), c.body())));
            case ClientCommand.Delete c ->
                    changed(session, c, Optional.of(converse.delete(user, c.room(), c.messageId())));
            case ClientCommand.Read c -> changed(session, c, converse.markRead(user, c.room(), c.seq()));
            case ClientCommand.Typing c -> {
                converse.typing(user, c.room(), c.active());
                done(session, c);
            }
            case ClientCommand.SetPresence c -> {
                presence.set(user, session.id(), c.status());
                done(session, c);
            }
            case ClientCommand.Ping c -> session.reply(new ServerEvent.Pong(c.ref()));
        }
    }

    private static void done(ChatSession session, ClientCommand command) {
        session.reply(new ServerEvent.Ack(command.ref(), new ServerEvent.Done()));
    }

    private static void changed(ChatSession session, ClientCommand command, Optional<RoomEvent> event) {
        session.reply(new ServerEvent.Ack(command.ref(),
                event.<ServerEvent.AckResult>map(ServerEvent.Changed::new).orElseGet(ServerEvent.Done::new)));
    }
}
