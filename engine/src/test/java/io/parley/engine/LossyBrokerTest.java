package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-out is at most once: a broker outage loses signals. Stored events are never lost, so sessions
 * catch up from the store when the adapter says delivery may have lost signals ({@link Signal.Resync}).
 */
class LossyBrokerTest {
    private final User ann = User.of("ann");
    private final User bob = User.of("bob");
    private final LossyFanout fanout = new LossyFanout(InMemoryFanout.create());
    private TestNode node;
    private ChatCore core;
    private SlowLog log;

    @AfterEach
    void shutdown() {
        node.close();
    }

    @Test
    void a_quiet_room_whose_events_were_lost_catches_up_from_the_store_on_resync() {
        RoomId room = start().rooms().create(ann, new CreateRoom("Quiet", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink sink = subscribeBob(room);

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
        RecordingSink sink = subscribeBob(room);
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

    @Test
    void while_the_store_is_slow_to_fill_a_lost_event_the_room_keeps_delivering_what_does_not_wait_for_it()
            throws InterruptedException {
        RoomId room = start().rooms().create(ann, new CreateRoom("Slow", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink sink = subscribeBob(room);
        core.converse().send(ann, SendMessage.of(room, "delivered"));
        sink.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == 3);

        log.slow = new CountDownLatch(1);
        fanout.down = true;
        core.converse().send(ann, SendMessage.of(room, "lost"));
        fanout.down = false;
        core.converse().send(ann, SendMessage.of(room, "after the loss"));
        assertTrue(log.reading.await(10, TimeUnit.SECONDS), "the feed reads the lost event from the store");

        // The read is stuck in the store; typing does not wait for it.
        core.converse().typing(ann, room, true);
        assertTrue(sink.awaitMatching(e -> e instanceof ServerEvent.TypingEvent).stream()
                        .noneMatch(e -> e instanceof ServerEvent.Durable d && d.event().seq() > 3),
                "nothing durable overtakes the missing event");

        log.slow.countDown();
        List<Long> seqs = sink.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == 5)
                .stream().filter(e -> e instanceof ServerEvent.Durable).map(e -> ((ServerEvent.Durable) e).event().seq())
                .toList();
        assertEquals(List.of(3L, 4L, 5L), seqs, "the lost event, then the one after it, once each");
    }

    /** Opens a session for bob and subscribes it to the room from now on. */
    private RecordingSink subscribeBob(RoomId room) {
        RecordingSink sink = new RecordingSink();
        ChatSession session = node.open(bob, sink);
        session.handle(new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.empty()));
        sink.awaitMatching(e -> e instanceof ServerEvent.Ack);
        return sink;
    }

    private ChatCore start() {
        InMemoryStore store = InMemoryStore.create();
        log = new SlowLog(store.log());
        node = TestNode.start(store.rooms(), log, fanout, SessionSettings.defaults());
        core = node.core();
        return core;
    }

    /** A room log whose {@code eventsAfter} waits on {@code slow} while it is set: a store that hangs. */
    private static final class SlowLog implements RoomLog {
        private final RoomLog delegate;
        private final CountDownLatch reading = new CountDownLatch(1);
        private volatile CountDownLatch slow;

        SlowLog(RoomLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public AppendOutcome append(EventDraft draft) {
            return delegate.append(draft);
        }

        @Override
        public Optional<Message> message(RoomId room, MessageId messageId) {
            return delegate.message(room, messageId);
        }

        @Override
        public HistoryPage history(RoomId room, HistoryQuery query) {
            return delegate.history(room, query);
        }

        @Override
        public Map<MessageId, Set<String>> reactedBy(RoomId room, UserId reader, Collection<MessageId> messages) {
            return delegate.reactedBy(room, reader, messages);
        }

        @Override
        public SearchPage search(UserId reader, SearchQuery query) {
            return delegate.search(reader, query);
        }

        @Override
        public List<RoomEvent> eventsAfter(RoomId room, long after, int limit) {
            CountDownLatch latch = slow;
            if (latch != null) {
                reading.countDown();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.eventsAfter(room, after, limit);
        }

        @Override
        public long lastSeq(RoomId room) {
            return delegate.lastSeq(room);
        }
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
