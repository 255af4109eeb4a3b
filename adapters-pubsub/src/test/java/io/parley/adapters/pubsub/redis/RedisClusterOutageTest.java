package io.parley.adapters.pubsub.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;
import io.parley.testservices.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.parley.adapters.pubsub.redis.RedisClusterTest.joined;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a Redis Cluster of the test's own: a master that restarts, and a slot that moves to another master. In both
 * cases the subscribers of the rooms concerned get {@link Signal.Resync} and then live signals again.
 */
class RedisClusterOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static EmbeddedRedisCluster cluster;

    private RedisNodes nodes;
    private ClusterAdmin admin;

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void connect() {
        // The class's own cluster, started by its first test; without redis-server and redis-cli on the PATH this
        // aborts (skips) the test.
        if (cluster == null) {
            cluster = EmbeddedRedisCluster.start();
        }
        nodes = RedisNodes.onCluster(cluster);
        admin = new ClusterAdmin(cluster);
    }

    @AfterEach
    void close() {
        if (admin != null) {
            nodes.close();
            admin.close();
        }
    }

    @Test
    void while_a_room_s_master_is_down_publishing_does_not_throw_and_after_it_returns_subscribers_get_resync_then_live_signals() {
        RedisPubSub publisher = nodes.node();
        RedisPubSub subscriber = nodes.node();
        // The room and the publisher's readiness probe on the same master, so readiness sees that master down.
        RedisClusterNode master = admin.masterOf(nodes.namespace() + ":probe:" + publisher.node());
        RoomId room = admin.roomsServedBy(nodes.namespace(), node -> node.getNodeId().equals(master.getNodeId()))
                .get(master.getNodeId());
        Topic topic = Topic.room(room);
        Recorder<Signal> remote = new Recorder<>();
        Recorder<Signal> local = new Recorder<>();
        subscriber.fanout().subscribe(topic, remote);
        publisher.fanout().subscribe(topic, local);
        publisher.fanout().publish(topic, joined(room, 1));
        remote.await(joined(room, 1)::equals, WAIT);

        cluster.stop(admin.indexOf(master));
        long lostBefore = publisher.lostSignals();
        assertDoesNotThrow(() -> publisher.fanout().publish(topic, joined(room, 2)));
        local.await(joined(room, 2)::equals, WAIT);
        assertFalse(publisher.roundTrip(Duration.ofMillis(500)));
        awaitTrue(() -> publisher.lostSignals() > lostBefore);
        cluster.restart(admin.indexOf(master));

        remote.await(Signal.Resync.class::isInstance, WAIT);
        local.await(Signal.Resync.class::isInstance, WAIT);
        awaitTrue(() -> publisher.roundTrip(Duration.ofMillis(500)));
        publisher.fanout().publish(topic, joined(room, 3));
        remote.await(joined(room, 3)::equals, WAIT);
        assertFalse(remote.received().contains(joined(room, 2)), "published while the master was down");
    }

    @Test
    void when_a_room_s_slot_moves_to_another_master_its_subscribers_get_resync_then_live_signals() {
        RedisPubSub publisher = nodes.node();
        RedisPubSub subscriber = nodes.node();
        int presenceSlot = SlotHash.getSlot("{" + nodes.namespace() + "}");
        RoomId room = admin.roomsServedBy(nodes.namespace(), node -> !node.hasSlot(presenceSlot)).values()
                .iterator().next();
        Topic topic = Topic.room(room);
        String channel = nodes.namespace() + ":" + topic.key();
        Recorder<Signal> remote = new Recorder<>();
        subscriber.fanout().subscribe(topic, remote);
        publisher.fanout().publish(topic, joined(room, 1));
        remote.await(joined(room, 1)::equals, WAIT);
        RedisClusterNode source = admin.masterOf(channel);
        RedisClusterNode target = admin.masters().stream()
                .filter(node -> !node.getNodeId().equals(source.getNodeId())).findFirst().orElseThrow();

        admin.moveSlot(channel, target);

        // The old master dropped the subscription (Redis pushes sunsubscribe); the node subscribes on the new one.
        remote.await(Signal.Resync.class::isInstance, WAIT);
        awaitTrue(() -> admin.shardChannelsOn(target, channel).contains(channel));
        assertTrue(admin.shardChannelsOn(source, channel).isEmpty());
        publisher.fanout().publish(topic, joined(room, 2));
        remote.await(joined(room, 2)::equals, WAIT);
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
