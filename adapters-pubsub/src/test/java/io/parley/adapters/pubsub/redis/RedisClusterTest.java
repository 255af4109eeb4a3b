package io.parley.adapters.pubsub.redis;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.testservices.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.parley.domain.PresenceStatus.OFFLINE;
import static io.parley.domain.PresenceStatus.ONLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nodes on a real Redis Cluster of three masters: channels and presence keys where the cluster wants them. */
class RedisClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private RedisNodes nodes;
    private ClusterAdmin admin;

    @BeforeEach
    void connect() {
        // Started on first use; without redis-server and redis-cli on the PATH this aborts (skips) the test.
        EmbeddedRedisCluster cluster = EmbeddedRedisCluster.shared();
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
    void rooms_served_by_different_masters_are_each_subscribed_on_their_own_master_and_reach_another_node() {
        RedisPubSub publisher = nodes.node();
        RedisPubSub subscriber = nodes.node();
        Map<String, RoomId> rooms = admin.roomsServedBy(nodes.namespace(), master -> true);
        assertEquals(EmbeddedRedisCluster.MASTERS, rooms.size(), "a room on every master: " + rooms);
        Map<RoomId, Recorder<Signal>> received = new HashMap<>();
        rooms.values().forEach(room -> {
            received.put(room, new Recorder<>());
            subscriber.fanout().subscribe(Topic.room(room), received.get(room));
        });

        for (RedisClusterNode master : admin.masters()) {
            for (RoomId room : rooms.values()) {
                String channel = channel(room);
                boolean served = rooms.get(master.getNodeId()).equals(room);
                assertEquals(served ? List.of(channel) : List.of(), admin.shardChannelsOn(master, channel),
                        "SSUBSCRIBE " + channel + " on " + master.getUri() + " only if it serves the slot");
            }
        }
        rooms.values().forEach(room -> publisher.fanout().publish(Topic.room(room), joined(room, 1)));

        rooms.values().forEach(room -> received.get(room).await(joined(room, 1)::equals, WAIT));
        rooms.values().forEach(room -> assertEquals(List.of(joined(room, 1)), received.get(room).received()));
    }

    @Test
    void the_readiness_round_trip_goes_through_the_master_of_the_node_s_probe_channel() {
        RedisPubSub node = nodes.node();
        String probe = nodes.namespace() + ":probe:" + node.node();

        assertTrue(node.roundTrip(Duration.ofSeconds(1)));
        assertEquals(List.of(probe), admin.shardChannelsOn(admin.masterOf(probe), probe));
    }

    @Test
    void a_crashed_node_s_users_go_offline_reported_by_one_node_and_all_presence_keys_are_on_one_master() {
        RedisPubSub crashing = nodes.node(TTL);
        RedisPubSub survivor = nodes.node(TTL);
        RedisPubSub other = nodes.node(TTL);
        Recorder<Presence> reports = new Recorder<>();
        survivor.presence().onExpiry(reports);
        other.presence().onExpiry(reports);
        UserId alice = UserId.of("alice");
        UserId bob = UserId.of("bob");
        crashing.presence().sessionOpened(alice, "a1", Clock.systemUTC().instant());
        survivor.presence().sessionOpened(bob, "b1", Clock.systemUTC().instant());
        String tag = "{" + nodes.namespace() + "}";
        RedisClusterNode presenceMaster = admin.masterOf(tag);
        for (RedisClusterNode master : admin.masters()) {
            List<String> keys = admin.on(master).keys(tag + ":*");
            assertEquals(master.getNodeId().equals(presenceMaster.getNodeId()) ? 3 : 0, keys.size(), master.getUri() + " has " + keys);
        }

        crashing.stopPresenceRefresh();

        assertEquals(OFFLINE, reports.await(p -> p.user().equals(alice), TTL.multipliedBy(4)).status());
        assertEquals(ONLINE, survivor.presence().presenceOf(List.of(bob)).getFirst().status());
        // Every sweep of both survivors after the report would have reported alice again if the removal were not
        // atomic on the one master.
        awaitSweeps(survivor, other);
        assertEquals(1, reports.received().stream().filter(p -> p.user().equals(alice)).count());
    }

    @Test
    void a_node_given_one_cluster_node_without_cluster_mode_fails_to_build_and_says_to_use_cluster_mode() {
        String node = "single";
        RedisClusterNode probeMaster = admin.masterOf(nodes.namespace() + ":probe:" + node);
        RedisClusterNode other = admin.masters().stream()
                .filter(master -> !master.getNodeId().equals(probeMaster.getNodeId())).findFirst().orElseThrow();
        String uri = "redis://127.0.0.1:" + other.getUri().getPort();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RedisPubSub.builder()
                .uri(uri).namespace(nodes.namespace()).node(node).sharded(true).build().close());
        assertTrue(refused.getMessage().contains("Redis is a cluster: use cluster mode"), refused.getMessage());
    }

    private static void awaitSweeps(RedisPubSub... survivors) {
        for (RedisPubSub node : survivors) {
            RedisPresenceRegistry registry = (RedisPresenceRegistry) node.presence();
            long target = registry.sweeps() + 2;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (registry.sweeps() < target) {
                assertTrue(System.nanoTime() < deadline, "sweeps stopped");
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private String channel(RoomId room) {
        return nodes.namespace() + ":" + Topic.room(room).key();
    }

    static Signal joined(RoomId room, long seq) {
        return new Signal.Durable(new RoomEvent.MemberJoined(room, seq, UserId.of("u" + seq), AT));
    }
}
