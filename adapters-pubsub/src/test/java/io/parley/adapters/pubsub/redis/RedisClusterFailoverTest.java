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
import java.util.List;

import static io.parley.adapters.pubsub.redis.RedisClusterTest.joined;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a Redis Cluster whose masters have replicas: a master fails for good and its replica takes over. Redis
 * sends no {@code sunsubscribe} then (the old master is gone), so the nodes must notice the new topology.
 */
class RedisClusterFailoverTest {
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(15);

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
            cluster = EmbeddedRedisCluster.startWithReplicas(NODE_TIMEOUT);
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
    void when_a_replica_takes_over_a_failed_master_its_rooms_subscribers_get_resync_then_live_signals() {
        // The periodic topology refresh (30 s by default) is what finds a failover: shortened for the test.
        RedisPubSub publisher = nodes.node(RedisPubSub.builder().topologyRefresh(Duration.ofSeconds(1)));
        RedisPubSub subscriber = nodes.node(RedisPubSub.builder().topologyRefresh(Duration.ofSeconds(1)));
        int presenceSlot = SlotHash.getSlot("{" + nodes.namespace() + "}");
        RoomId room = admin.roomsServedBy(nodes.namespace(), node -> !node.hasSlot(presenceSlot)).values()
                .iterator().next();
        Topic topic = Topic.room(room);
        String channel = nodes.namespace() + ":" + topic.key();
        Recorder<Signal> remote = new Recorder<>();
        subscriber.fanout().subscribe(topic, remote);
        publisher.fanout().publish(topic, joined(room, 1));
        remote.await(joined(room, 1)::equals, WAIT);
        RedisClusterNode failed = admin.masterOf(channel);

        cluster.stop(admin.indexOf(failed));

        // The lost connection alone may already bring a Resync, before the cluster has elected a successor:
        // wait for the failover itself, then for the subscription on the new master.
        remote.await(Signal.Resync.class::isInstance, WAIT);
        eventually(() -> !admin.masterOf(channel).getNodeId().equals(failed.getNodeId()), "a replica took over");
        RedisClusterNode successor = admin.masterOf(channel);
        eventually(() -> admin.shardChannelsOn(successor, channel).contains(channel),
                "subscribed on " + successor.getUri());
        // The publisher finds the new master with its own topology refresh; until then its publications are lost.
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long seq = 2; !liveAfterResync(remote); seq++) {
            assertTrue(System.nanoTime() < deadline, "no publication reached the subscriber after the failover");
            publisher.fanout().publish(topic, joined(room, seq));
            pause();
        }
    }

    private static boolean liveAfterResync(Recorder<Signal> recorder) {
        List<Signal> received = recorder.received();
        int resync = received.indexOf(new Signal.Resync());
        return received.subList(resync + 1, received.size()).stream().anyMatch(Signal.Durable.class::isInstance);
    }

    private static void eventually(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!holds(condition)) {
            assertTrue(System.nanoTime() < deadline, what);
            pause();
        }
    }

    /** During a failover the cluster's view may be briefly incomplete: a query that fails counts as "not yet". */
    private static boolean holds(java.util.function.BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
