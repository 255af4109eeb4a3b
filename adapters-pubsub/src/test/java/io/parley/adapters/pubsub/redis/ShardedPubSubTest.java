package io.parley.adapters.pubsub.redis;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.testservices.EmbeddedRedisServer;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node with {@code sharded(true)} does on Redis itself, seen through a plain lettuce client: sharded
 * channels are a namespace of their own (a {@code PUBLISH} never reaches an {@code SSUBSCRIBE}r, nor a
 * {@code SPUBLISH} a {@code SUBSCRIBE}r), so each test below fails if the node used classic pub/sub.
 */
class ShardedPubSubTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private final RedisNodes nodes = RedisNodes.shared(true);
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(nodes.uri());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        nodes.close();
        connection.close();
        client.shutdown();
    }

    @Test
    void a_node_holds_a_shard_subscription_while_it_has_listeners_and_drops_it_after_the_last_one_closes() {
        RedisPubSub node = nodes.node();
        Topic topic = Topic.room(RoomId.of("counted"));
        String channel = channel(topic);

        Fanout.Subscription first = node.fanout().subscribe(topic, signal -> { });
        Fanout.Subscription second = node.fanout().subscribe(topic, signal -> { });
        assertTrue(shardChannels().contains(channel), "SSUBSCRIBE " + channel);
        assertFalse(classicChannels().contains(channel), "no classic SUBSCRIBE of " + channel);

        first.close();
        // Subscribing another topic waits for Redis' answer on the subscription connection, so a SUNSUBSCRIBE
        // wrongly sent for the first close would have been handled by then.
        node.fanout().subscribe(Topic.room(RoomId.of("barrier")), signal -> { });
        assertTrue(shardChannels().contains(channel), "still subscribed while a listener is left");

        second.close();
        awaitTrue(() -> !shardChannels().contains(channel));
    }

    @Test
    void a_node_publishes_with_spublish_and_receives_what_another_client_spublishes() {
        RedisPubSub node = nodes.node();
        Topic topic = Topic.room(RoomId.of("shard"));
        String channel = channel(topic);
        Recorder<String> raw = new Recorder<>();
        StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String shardChannel, String message) {
                raw.accept(shardChannel + " " + message);
            }
        });
        subscriber.sync().ssubscribe(channel);
        Recorder<Signal> received = new Recorder<>();
        node.fanout().subscribe(topic, received);

        node.fanout().publish(topic, joined(1));
        raw.await(message -> message.startsWith(channel + " ") && message.contains("\"q\":1"), WAIT);

        long receivers = redis.spublish(channel, SignalCodec.encode("another-node", joined(2)));
        assertEquals(2, receivers, "the node and the plain subscriber");
        received.await(joined(2)::equals, WAIT);
        subscriber.close();
    }

    @Test
    void the_readiness_round_trip_goes_through_the_node_s_shard_channel() {
        RedisPubSub node = nodes.node();
        String probe = nodes.namespace() + ":probe:" + node.node();

        assertTrue(node.roundTrip(Duration.ofSeconds(1)));
        assertEquals(List.of(probe), redis.pubsubShardChannels(probe));
        assertEquals(List.of(), redis.pubsubChannels(probe));
    }

    @Test
    void a_sharded_node_fails_to_build_when_redis_refuses_ssubscribe() {
        try (EmbeddedRedisServer server = TestRedis.startPrivateServer()) {
            RedisClient admin = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> adminConnection = admin.connect()) {
                adminConnection.sync().aclSetuser("no-shard", AclSetuserArgs.Builder.on().addPassword("secret")
                        .allKeys().allChannels().allCommands().removeCommand(CommandType.SSUBSCRIBE));
            } finally {
                admin.shutdown();
            }
            String uri = server.uri().replace("redis://", "redis://no-shard:secret@");
            try (RedisNodes classic = RedisNodes.on(uri, false); RedisNodes sharded = RedisNodes.on(uri, true)) {
                assertTrue(classic.node().roundTrip(Duration.ofSeconds(1)), "the user may do everything else");

                IllegalStateException refused = assertThrows(IllegalStateException.class, sharded::node);
                assertTrue(refused.getMessage().contains("sharded pub/sub needs Redis 7"), refused.getMessage());
            }
        }
    }

    private List<String> shardChannels() {
        return redis.pubsubShardChannels(nodes.namespace() + ":*");
    }

    private List<String> classicChannels() {
        return redis.pubsubChannels(nodes.namespace() + ":*");
    }

    private String channel(Topic topic) {
        return nodes.namespace() + ":" + topic.key();
    }

    private static Signal joined(long seq) {
        return new Signal.Durable(new RoomEvent.MemberJoined(RoomId.of("shard"), seq, UserId.of("u" + seq), AT));
    }

    private static void awaitTrue(BooleanSupplier condition) {
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
