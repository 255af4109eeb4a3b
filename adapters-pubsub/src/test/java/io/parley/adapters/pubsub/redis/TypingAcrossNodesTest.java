package io.parley.adapters.pubsub.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Typing indicators of a node that dies end on the other nodes by themselves, and only then. */
class TypingAcrossNodesTest {
    @Test
    void an_indicator_stays_while_its_node_renews_it_and_ends_within_the_expiry_once_the_node_is_gone() {
        RoomId room = RoomId.of("typing-" + UUID.randomUUID());
        Topic topic = Topic.room(room);
        Signal started = new Signal.TypingChanged(new Typing(room, UserId.of("tina"), true));
        Signal ended = new Signal.TypingChanged(new Typing(room, UserId.of("tina"), false));
        RedisClient raw = RedisClient.create(TestRedis.uri());
        try (RedisNodes nodes = RedisNodes.shared();
             StatefulRedisPubSubConnection<String, String> wire = raw.connectPubSub()) {
            RedisPubSub typist = nodes.node();
            RedisPubSub reader = nodes.node();
            Recorder<Signal> received = new Recorder<>();
            reader.fanout().subscribe(topic, received);
            AtomicInteger renewals = new AtomicInteger();
            wire.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    if (message.contains("\"k\":\"tr\"")) {
                        renewals.incrementAndGet();
                    }
                }
            });
            wire.sync().subscribe(nodes.namespace() + ":" + topic.key());

            typist.fanout().publish(topic, started);
            received.await(started::equals, Duration.ofSeconds(5));
            // Four renewals take over three seconds, longer than the expiry: the indicator must still be on.
            awaitRenewals(renewals, 4);
            assertEquals(java.util.List.of(started), received.received());

            long crashedAt = System.nanoTime();
            typist.close();

            received.await(ended::equals, Typing.EXPIRY.plusSeconds(2));
            Duration took = Duration.ofNanos(System.nanoTime() - crashedAt);
            assertFalse(took.compareTo(Typing.EXPIRY.plusSeconds(1)) > 0, "ended after " + took);
        } finally {
            raw.shutdown();
        }
    }

    private static void awaitRenewals(AtomicInteger renewals, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (renewals.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + renewals.get() + " renewals");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
