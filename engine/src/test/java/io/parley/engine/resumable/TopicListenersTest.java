package io.parley.engine.resumable;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicListenersTest {
    private final CountingFanout fanout = new CountingFanout();
    private final TopicListeners listeners = new TopicListeners(fanout);
    private final Topic room = Topic.room(RoomId.of("r1"));

    @Test
    void every_listener_gets_each_signal_once_over_one_broker_subscription_and_a_closed_one_no_more() {
        int n = 2_000;
        AtomicInteger[] got = new AtomicInteger[n];
        List<TopicListeners.Registration> registrations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicInteger count = got[i] = new AtomicInteger();
            registrations.add(listeners.listen(room, signal -> count.incrementAndGet()));
        }
        assertEquals(1, fanout.subscribed.get(), "one broker subscription however many listeners");

        fanout.publish(room, new Signal.Resync());
        for (int i = 0; i < n; i++) {
            assertEquals(1, got[i].get(), "listener " + i);
        }
        for (int i = 0; i < n; i += 2) {
            registrations.get(i).close();
            registrations.get(i).close(); // twice is harmless
        }
        fanout.publish(room, new Signal.Resync());
        for (int i = 0; i < n; i++) {
            assertEquals(i % 2 == 0 ? 1 : 2, got[i].get(), "listener " + i);
        }
        assertEquals(0, fanout.closed.get(), "listeners remain: the broker subscription stays");
    }

    @Test
    void listeners_that_stay_get_every_signal_while_polls_come_and_go_around_them() throws Exception {
        int staying = 50;
        int signals = 2_000;
        AtomicInteger[] got = new AtomicInteger[staying];
        for (int i = 0; i < staying; i++) {
            AtomicInteger count = got[i] = new AtomicInteger();
            listeners.listen(room, signal -> count.incrementAndGet());
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger churned = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        List<Thread> polls = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            polls.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                while (!done.get()) {
                    try (TopicListeners.Registration poll = listeners.listen(room, signal -> { })) {
                        churned.incrementAndGet();
                    }
                }
            }));
        }
        started.await();
        for (int s = 0; s < signals; s++) {
            fanout.publish(room, new Signal.Resync());
        }
        done.set(true);
        for (Thread poll : polls) {
            poll.join();
        }
        for (int i = 0; i < staying; i++) {
            assertEquals(signals, got[i].get(), "listener " + i + " (" + churned.get() + " polls came and went)");
        }
    }

    @Test
    void a_topic_nobody_listens_to_keeps_its_broker_subscription_for_the_linger_then_drops_it() {
        listeners.listen(room, signal -> { }).close();
        listeners.closeIdle(Long.MAX_VALUE);
        assertEquals(1, listeners.topics(), "idle for less than the linger");
        assertEquals(0, fanout.closed.get());

        listeners.closeIdle(0);
        assertEquals(0, listeners.topics());
        assertEquals(1, fanout.closed.get());

        AtomicInteger got = new AtomicInteger();
        listeners.listen(room, signal -> got.incrementAndGet());
        assertEquals(2, fanout.subscribed.get(), "listening again subscribes again");
        fanout.publish(room, new Signal.Resync());
        assertEquals(1, got.get());
    }

    /** Delivers on the publisher's thread, and counts broker subscriptions made and closed. */
    private static final class CountingFanout implements Fanout {
        private final Map<Topic, List<Consumer<Signal>>> topics = new ConcurrentHashMap<>();
        private final AtomicInteger subscribed = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();

        @Override
        public void publish(Topic topic, Signal signal) {
            topics.getOrDefault(topic, List.of()).forEach(listener -> listener.accept(signal));
        }

        @Override
        public Subscription subscribe(Topic topic, Consumer<Signal> listener) {
            subscribed.incrementAndGet();
            topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
            return () -> {
                if (topics.get(topic).remove(listener)) {
                    closed.incrementAndGet();
                }
            };
        }
    }
}
