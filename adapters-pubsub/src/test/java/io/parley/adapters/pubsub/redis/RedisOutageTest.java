package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.testservices.EmbeddedRedisServer;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a Redis the test stops and restarts: what a node does while the broker is away and when it returns, on
 * classic and on sharded pub/sub.
 */
class RedisOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private static EmbeddedRedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.startPrivateServer();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @ParameterizedTest(name = "sharded: {0}")
    @ValueSource(booleans = {false, true})
    void publishing_while_redis_is_down_does_not_throw_and_after_it_returns_subscribers_get_resync_then_live_signals(
            boolean sharded) {
        try (RedisNodes nodes = RedisNodes.on(redis.uri(), sharded)) {
            RedisPubSub publisher = nodes.node();
            RedisPubSub subscriber = nodes.node();
            Topic topic = Topic.room(RoomId.of("outage"));
            Recorder<Signal> remote = new Recorder<>();
            Recorder<Signal> local = new Recorder<>();
            subscriber.fanout().subscribe(topic, remote);
            publisher.fanout().subscribe(topic, local);
            publisher.fanout().publish(topic, joined(1));
            remote.await(joined(1)::equals, WAIT);
            assertTrue(publisher.roundTrip(Duration.ofSeconds(1)));

            redis.stop();
            long lostBefore = publisher.lostSignals();
            assertDoesNotThrow(() -> publisher.fanout().publish(topic, joined(2)));
            // Listeners on the publishing node still receive; the loss is counted; readiness says down.
            local.await(joined(2)::equals, WAIT);
            assertFalse(publisher.roundTrip(Duration.ofMillis(500)));
            awaitTrue(() -> publisher.lostSignals() > lostBefore);
            redis.restart();

            remote.await(Signal.Resync.class::isInstance, WAIT);
            local.await(Signal.Resync.class::isInstance, WAIT);
            awaitTrue(() -> publisher.roundTrip(Duration.ofMillis(500)));
            publisher.fanout().publish(topic, joined(3));
            remote.await(joined(3)::equals, WAIT);
            // The signal published during the outage is lost on the other node: that is what Resync is for.
            assertFalse(remote.received().contains(joined(2)));
        }
    }

    @ParameterizedTest(name = "sharded: {0}")
    @ValueSource(booleans = {false, true})
    void a_subscription_made_while_redis_is_down_receives_once_it_is_back(boolean sharded) {
        try (RedisNodes nodes = RedisNodes.on(redis.uri(), sharded)) {
            RedisPubSub publisher = nodes.node();
            RedisPubSub subscriber = nodes.node();
            Topic topic = Topic.room(RoomId.of("late"));
            Recorder<Signal> remote = new Recorder<>();

            redis.stop();
            assertDoesNotThrow(() -> subscriber.fanout().subscribe(topic, remote));
            redis.restart();

            remote.await(Signal.Resync.class::isInstance, WAIT);
            awaitTrue(() -> publisher.roundTrip(Duration.ofMillis(500)));
            publisher.fanout().publish(topic, joined(1));
            remote.await(joined(1)::equals, WAIT);
        }
    }

    private static Signal joined(long seq) {
        return new Signal.Durable(new RoomEvent.MemberJoined(RoomId.of("outage"), seq, UserId.of("u" + seq), AT));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
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
