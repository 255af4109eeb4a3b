package io.parley.testkit;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract of the {@link Fanout} port. Extend it in a JUnit 5 test and implement {@link #newFanout()};
 * a broker-backed adapter also overrides {@link #peerOf} so that signals cross from one node to another.
 *
 * <p>Tests wait for signals that must arrive (up to {@link #awaitDelivery()}); a signal that must not
 * arrive is checked after a later signal from the same publisher arrived, never by sleeping.
 */
public abstract class FanoutContract {
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private Fanout fanout;

    /** For subclasses. */
    protected FanoutContract() {
    }

    /**
     * Called before every test.
     *
     * @return the fan-out under test
     */
    protected abstract Fanout newFanout();

    /**
     * A second node of the same deployment. The default, right for a single-node fan-out, is the same one.
     *
     * @param fanout the node under test
     * @return another node connected to the same broker
     */
    protected Fanout peerOf(Fanout fanout) {
        return fanout;
    }

    /** @return how long a test waits for a signal to arrive; 5 seconds by default */
    protected Duration awaitDelivery() {
        return Duration.ofSeconds(5);
    }

    /** Opens the fan-out of one test. */
    @BeforeEach
    protected final void openFanout() {
        fanout = newFanout();
    }

    @Test
    void a_subscriber_receives_the_signals_of_its_topic_and_no_others() {
        Topic topic = roomTopic("general");
        Topic other = roomTopic("random");
        SignalRecorder listener = SignalRecorder.create();
        SignalRecorder witness = SignalRecorder.create();
        fanout.subscribe(topic, listener);
        fanout.subscribe(other, witness);

        fanout.publish(other, durable(other, 1));
        witness.await(1, awaitDelivery());
        fanout.publish(topic, durable(topic, 1));

        assertEquals(List.of(durable(topic, 1)), listener.await(1, awaitDelivery()));
        assertEquals(List.of(durable(other, 1)), witness.received());
    }

    @Test
    void every_subscriber_of_a_topic_receives_each_signal_once_on_any_node() {
        Topic topic = roomTopic("general");
        List<SignalRecorder> listeners = List.of(SignalRecorder.create(), SignalRecorder.create(),
                SignalRecorder.create());
        fanout.subscribe(topic, listeners.get(0));
        fanout.subscribe(topic, listeners.get(1));
        peerOf(fanout).subscribe(topic, listeners.get(2));

        fanout.publish(topic, typing(topic, true));
        fanout.publish(topic, durable(topic, 1));

        for (SignalRecorder listener : listeners) {
            assertEquals(List.of(typing(topic, true), durable(topic, 1)), listener.await(2, awaitDelivery()));
        }
    }

    @Test
    void the_signals_of_one_publisher_arrive_in_publish_order() {
        Topic topic = roomTopic("general");
        SignalRecorder listener = SignalRecorder.create();
        peerOf(fanout).subscribe(topic, listener);
        List<Signal> published = LongStream.rangeClosed(1, 200)
                .mapToObj(i -> switch ((int) (i % 3)) {
                    case 0 -> durable(topic, i);
                    case 1 -> typing(topic, i % 2 == 0);
                    default -> presence(topic, i);
                })
                .toList();

        published.forEach(signal -> fanout.publish(topic, signal));

        assertEquals(published, listener.await(published.size(), awaitDelivery()));
    }

    @Test
    void a_subscription_takes_effect_before_subscribe_returns() {
        for (int i = 0; i < 20; i++) {
            Topic topic = roomTopic("fresh" + i);
            SignalRecorder listener = SignalRecorder.create();
            fanout.subscribe(topic, listener);
            peerOf(fanout).publish(topic, durable(topic, 1));
            assertEquals(List.of(durable(topic, 1)), listener.await(1, awaitDelivery()));
        }
    }

    @Test
    void closing_a_subscription_stops_delivery_and_closing_twice_is_harmless() {
        Topic topic = roomTopic("general");
        SignalRecorder closed = SignalRecorder.create();
        SignalRecorder witness = SignalRecorder.create();
        Fanout.Subscription subscription = fanout.subscribe(topic, closed);
        fanout.subscribe(topic, witness);
        fanout.publish(topic, durable(topic, 1));
        closed.await(1, awaitDelivery());

        subscription.close();
        assertDoesNotThrow(subscription::close);
        fanout.publish(topic, durable(topic, 2));
        fanout.publish(topic, durable(topic, 3));

        witness.await(3, awaitDelivery());
        assertEquals(List.of(durable(topic, 1)), closed.received());
    }

    @Test
    void a_user_topic_and_a_room_topic_of_the_same_name_are_separate() {
        String name = "alice." + scope;
        Topic room = Topic.room(RoomId.of(name));
        Topic user = Topic.user(UserId.of(name));
        SignalRecorder roomListener = SignalRecorder.create();
        SignalRecorder userListener = SignalRecorder.create();
        fanout.subscribe(room, roomListener);
        fanout.subscribe(user, userListener);

        fanout.publish(user, durable(room, 1));
        userListener.await(1, awaitDelivery());
        fanout.publish(room, durable(room, 2));

        assertEquals(List.of(durable(room, 2)), roomListener.await(1, awaitDelivery()));
        assertEquals(List.of(durable(room, 1)), userListener.received());
    }

    @Test
    void a_signal_on_the_nodes_topic_reaches_every_node() {
        SignalRecorder here = SignalRecorder.create();
        SignalRecorder there = SignalRecorder.create();
        fanout.subscribe(Topic.nodes(), here);
        peerOf(fanout).subscribe(Topic.nodes(), there);
        Signal ended = new Signal.SessionsEnded(UserId.of("gone." + scope), Optional.empty());

        fanout.publish(Topic.nodes(), ended);

        // Other tests may share the topic: only this test's signal is looked for.
        for (SignalRecorder node : List.of(here, there)) {
            awaitMatching(node, ended);
        }
    }

    private void awaitMatching(SignalRecorder recorder, Signal wanted) {
        long deadline = System.nanoTime() + awaitDelivery().toNanos();
        while (!recorder.received().contains(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not received: " + wanted + "; got " + recorder.received());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void a_listener_that_throws_does_not_break_delivery() {
        Topic topic = roomTopic("general");
        SignalRecorder broken = SignalRecorder.failing();
        SignalRecorder healthy = SignalRecorder.create();
        fanout.subscribe(topic, broken);
        fanout.subscribe(topic, healthy);

        assertDoesNotThrow(() -> fanout.publish(topic, durable(topic, 1)));
        assertDoesNotThrow(() -> fanout.publish(topic, durable(topic, 2)));

        List<Signal> both = List.of(durable(topic, 1), durable(topic, 2));
        assertEquals(both, healthy.await(2, awaitDelivery()));
        assertEquals(both, broken.await(2, awaitDelivery()), "the failing listener stays subscribed");
    }

    private Topic roomTopic(String name) {
        return Topic.room(RoomId.of(name + "." + scope));
    }

    private static RoomId roomOf(Topic topic) {
        return topic instanceof Topic.Room(RoomId room) ? room : RoomId.of("from-" + topic.key());
    }

    private static Signal durable(Topic topic, long seq) {
        return new Signal.Durable(new RoomEvent.MemberJoined(roomOf(topic), seq, UserId.of("user" + seq),
                AT.plusSeconds(seq)));
    }

    private static Signal typing(Topic topic, boolean active) {
        return new Signal.TypingChanged(new Typing(roomOf(topic), UserId.of("typist"), active));
    }

    private static Signal presence(Topic topic, long i) {
        PresenceStatus status = i % 2 == 0 ? PresenceStatus.AWAY : PresenceStatus.ONLINE;
        return new Signal.PresenceChanged(roomOf(topic), new Presence(UserId.of("user" + i), status, AT.plusSeconds(i)));
    }
}
