package io.parley.adapters.ssepolling;

import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.engine.ClientCommand;
import io.parley.engine.ServerEvent;
import io.parley.engine.SessionHub;
import io.parley.engine.SessionSubscriptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * {@link SessionHub#execute}: a command of a session without a connection on this node goes through the
 * same handling as a live session's and comes back as exactly one reply; subscriptions go where the
 * transport keeps them.
 */
class ConnectionlessCommandsTest {
    private static Cluster cluster;
    private static SessionHub hub;

    @BeforeAll
    static void start() {
        cluster = Cluster.of(1);
        hub = cluster.node(0).hub();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Records what the handler asked of the subscriptions. */
    private static final class Recorded implements SessionSubscriptions {
        final List<String> calls = new ArrayList<>();

        @Override
        public ServerEvent.Subscribed subscribe(RoomId room, OptionalLong after) {
            calls.add("subscribe " + room + " " + after);
            return new ServerEvent.Subscribed(room, 9, 2, true);
        }

        @Override
        public List<ServerEvent.Subscribed> subscribeInbox(Map<RoomId, Long> after) {
            calls.add("inbox " + after);
            return List.of();
        }

        @Override
        public void unsubscribe(RoomId room) {
            calls.add("unsubscribe " + room);
        }

        @Override
        public void unsubscribeInbox() {
            throw ParleyException.notFound("the session expired");
        }
    }

    @Test
    void subscription_commands_are_acked_with_what_the_transports_subscriptions_report() {
        Recorded subscriptions = new Recorded();
        RoomId room = RoomId.of("r1");

        ServerEvent subscribed = hub.execute(User.of("alice"), "s1", subscriptions,
                new ClientCommand.Subscribe(Optional.of("a"), room, OptionalLong.of(7)));
        ServerEvent unsubscribed = hub.execute(User.of("alice"), "s1", subscriptions,
                new ClientCommand.Unsubscribe(Optional.of("b"), room));

        assertEquals(new ServerEvent.Ack(Optional.of("a"), new ServerEvent.Subscribed(room, 9, 2, true)), subscribed);
        assertEquals(new ServerEvent.Ack(Optional.of("b"), new ServerEvent.Done()), unsubscribed);
        assertEquals(List.of("subscribe r1 OptionalLong[7]", "unsubscribe r1"), subscriptions.calls);
    }

    @Test
    void other_commands_run_through_the_use_cases_and_failures_become_errors_with_the_ref() {
        String room = cluster.room("alice", Visibility.PRIVATE);
        Recorded subscriptions = new Recorded();

        ServerEvent sent = hub.execute(User.of("alice"), "s1", subscriptions, new ClientCommand.Send(Optional.of("s"),
                RoomId.of(room), "hi", Optional.empty(), Optional.empty()));
        ServerEvent forbidden = hub.execute(User.of("mallory"), "s2", subscriptions,
                new ClientCommand.Send(Optional.of("m"), RoomId.of(room), "hi", Optional.empty(), Optional.empty()));
        ServerEvent expired = hub.execute(User.of("alice"), "s1", subscriptions,
                new ClientCommand.UnsubscribeInbox(Optional.of("x")));

        ServerEvent.Posted posted = assertInstanceOf(ServerEvent.Posted.class, ((ServerEvent.Ack) sent).result());
        assertEquals("hi", posted.message().body());
        assertEquals(new ServerEvent.Error(Optional.of("m"), "forbidden", ((ServerEvent.Error) forbidden).message()),
                forbidden);
        assertEquals("not_found", ((ServerEvent.Error) expired).code());
        assertEquals(Optional.of("x"), ((ServerEvent.Error) expired).ref());
    }
}
