package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.EventListener;
import io.parley.application.port.out.Fanout;
import io.parley.application.service.EventFeeds;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event listeners over the in-memory store: every durable event once, in room order, across two nodes that share
 * the store (each room fed by one of them), with a listener that fails and is retried without losing or
 * repeating anything, and a listener that hangs without holding up messages.
 */
class EventFeedsTest {
    private static final EventFeeds.Settings FAST = new EventFeeds.Settings(Duration.ofSeconds(2),
            Duration.ofMillis(200));
    private final InMemoryStore store = InMemoryStore.create();
    private final Fanout fanout = InMemoryFanout.create();
    private final List<ChatCore> cores = new ArrayList<>();
    private final User ann = User.of("ann");

    private ChatCore node(EventListener listener) {
        ChatCore core = ChatCore.builder().rooms(store.rooms()).log(store.log()).fanout(fanout)
                .presence(InMemoryPresenceRegistry.create()).feedCursors(store.feedCursors())
                .feedSettings(FAST).listener("index", listener).build();
        cores.add(core);
        return core;
    }

    @AfterEach
    void stop() {
        cores.forEach(ChatCore::close);
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void every_event_reaches_the_listener_once_in_room_order_from_two_nodes_and_a_failure_is_retried()
            throws InterruptedException {
        Map<RoomId, List<Long>> seen = new ConcurrentHashMap<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        EventListener listener = event -> {
            if (event instanceof RoomEvent.MessagePosted posted && posted.message().body().equals("m3")
                    && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("receiver down");
            }
            seen.computeIfAbsent(event.room(), r -> new CopyOnWriteArrayList<>()).add(event.seq());
        };
        ChatCore a = node(listener);
        ChatCore b = node(listener);
        Thread.sleep(300); // both registered the feed (the first sweep)
        List<RoomId> rooms = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            rooms.add(a.rooms().create(ann, new CreateRoom("r" + r, Visibility.OPEN, List.of())).room().id());
        }
        for (int i = 0; i < 10; i++) {
            for (RoomId room : rooms) {
                (i % 2 == 0 ? a : b).converse().send(ann, SendMessage.of(room, "m" + i));
            }
        }

        await("11 events in each room", () -> rooms.stream().allMatch(r -> seen.getOrDefault(r, List.of()).size() >= 11));
        Thread.sleep(500); // nothing more comes
        for (RoomId room : rooms) {
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 11).boxed().toList(), seen.get(room),
                    "the join and ten posts, once each, in order");
        }
        assertTrue(failuresLeft.get() < 0, "the failing event was retried");
    }

    @Test
    void a_listener_that_hangs_does_not_hold_up_sending() throws InterruptedException {
        ChatCore core = node(event -> Thread.sleep(60_000));
        RoomId room = core.rooms().create(ann, new CreateRoom("r", Visibility.OPEN, List.of())).room().id();
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            core.converse().send(ann, SendMessage.of(room, "m" + i));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "50 sends took " + took);
        assertTrue(core.feeds().status().containsKey("index"));
    }
}
