package io.parley.bootstrap;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.application.port.out.TokenVerifier;
import io.parley.application.session.ClientCommand;
import io.parley.application.session.ChatSession;
import io.parley.application.session.ServerEvent;
import io.parley.application.session.SessionSettings;
import io.parley.application.session.TransportKind;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.wire.ProtocolCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fan-out is at most once: a broker outage loses signals. Stored events are never lost, so sessions
 * catch up from the store when the adapter says delivery may have lost signals ({@link Signal.Resync}).
 */
class LossyBrokerTest {
    private final User ann = User.of("ann");
    private final User bob = User.of("bob");
    private final LossyFanout fanout = new LossyFanout(InMemoryFanout.create());
    private ChatCore core;

    @AfterEach
    void shutdown() {
        core.close();
    }

    @Test
    void a_quiet_room_whose_events_were_lost_catches_up_from_the_store_on_resync() {
        RoomId room = start().rooms().create(ann, new CreateRoom("Quiet", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink sink = new RecordingSink();
        ChatSession session = core.sessions().open(new TokenVerifier.VerifiedToken(bob, Instant.MAX),
                TransportKind.WEBSOCKET, sink);
        session.handle(new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.empty()));
        sink.awaitMatching(e -> e instanceof ServerEvent.Ack);

        fanout.down = true;
        core.converse().send(ann, SendMessage.of(room, "lost one"));
        core.converse().send(ann, SendMessage.of(room, "lost two"));
        fanout.down = false;
        fanout.resync();

        List<Long> seqs = sink.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == 4)
                .stream().filter(e -> e instanceof ServerEvent.Durable).map(e -> ((ServerEvent.Durable) e).event().seq())
                .toList();
        assertEquals(List.of(3L, 4L), seqs, "both lost messages, once, in order");
    }

    @Test
    void a_room_that_already_delivered_events_fills_a_lost_tail_on_resync() {
        RoomId room = start().rooms().create(ann, new CreateRoom("Busy", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink sink = new RecordingSink();
        ChatSession session = core.sessions().open(new TokenVerifier.VerifiedToken(bob, Instant.MAX),
                TransportKind.WEBSOCKET, sink);
        session.handle(new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.empty()));
        sink.awaitMatching(e -> e instanceof ServerEvent.Ack);
        core.converse().send(ann, SendMessage.of(room, "delivered"));
        sink.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == 3);

        fanout.down = true;
        core.converse().send(ann, SendMessage.of(room, "lost"));
        fanout.down = false;
        fanout.resync();

        List<Long> seqs = sink.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == 4)
                .stream().filter(e -> e instanceof ServerEvent.Durable).map(e -> ((ServerEvent.Durable) e).event().seq())
                .toList();
        assertEquals(List.of(3L, 4L), seqs);
    }

    private ChatCore start() {
        InMemoryStore store = InMemoryStore.create();
        core = ChatCore.builder().rooms(store.rooms()).log(store.log()).fanout(fanout)
                .presence(InMemoryPresenceRegistry.create()).encoder(ProtocolCodec.create())
                .sessionSettings(SessionSettings.defaults()).build();
        return core;
    }

    /** A fan-out that drops every signal while {@code down}, and can tell its subscribers to resync. */
    private static final class LossyFanout implements Fanout {
        private final Fanout delegate;
        private final List<Consumer<Signal>> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean down;

        LossyFanout(Fanout delegate) {
            this.delegate = delegate;
        }

        @Override
        public void publish(Topic topic, Signal signal) {
            if (!down) {
                delegate.publish(topic, signal);
            }
        }

        @Override
        public Subscription subscribe(Topic topic, Consumer<Signal> listener) {
            listeners.add(listener);
            Subscription subscription = delegate.subscribe(topic, listener);
            return () -> {
                listeners.remove(listener);
                subscription.close();
            };
        }

        void resync() {
            listeners.forEach(listener -> listener.accept(new Signal.Resync()));
        }
    }
}
