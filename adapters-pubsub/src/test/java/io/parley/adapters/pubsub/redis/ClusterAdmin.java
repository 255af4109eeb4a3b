package io.parley.adapters.pubsub.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;
import io.parley.testservices.EmbeddedRedisCluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A test's own view of a Redis Cluster, through a plain lettuce cluster client: which master serves a channel or
 * key, what a given master has, and moving a slot.
 */
final class ClusterAdmin implements AutoCloseable {
    private final EmbeddedRedisCluster cluster;
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;

    ClusterAdmin(EmbeddedRedisCluster cluster) {
        this.cluster = cluster;
        this.client = RedisClusterClient.create(cluster.uri());
        this.connection = client.connect();
    }

    /** @return the masters serving slots now, in the order of the cluster's node indexes */
    List<RedisClusterNode> masters() {
        client.refreshPartitions();
        return cluster.ports().stream()
                .flatMap(port -> client.getPartitions().stream()
                        .filter(node -> node.getUri().getPort() == port && node.getRole().isUpstream()
                                && !node.getSlots().isEmpty()))
                .toList();
    }

    /** @return the master serving the slot of {@code channelOrKey} */
    RedisClusterNode masterOf(String channelOrKey) {
        int slot = SlotHash.getSlot(channelOrKey);
        return masters().stream().filter(node -> node.hasSlot(slot)).findFirst().orElseThrow();
    }

    /** @return the index of {@code master} in the cluster, for {@link EmbeddedRedisCluster#stop(int)} */
    int indexOf(RedisClusterNode master) {
        return cluster.ports().indexOf(master.getUri().getPort());
    }

    /** @return commands on that one master */
    RedisClusterCommands<String, String> on(RedisClusterNode master) {
        return connection.getConnection(master.getNodeId()).sync();
    }

    /** @return the shard channels that one master has subscribers for, among {@code channel} */
    List<String> shardChannelsOn(RedisClusterNode master, String channel) {
        return on(master).pubsubShardChannels(channel);
    }

    /**
     * @param namespace the nodes' namespace
     * @param wanted    which masters' rooms to find
     * @return for each master (by node id) that passes {@code wanted}, a room whose channel's slot it serves
     */
    Map<String, RoomId> roomsServedBy(String namespace, Predicate<RedisClusterNode> wanted) {
        List<RedisClusterNode> masters = masters().stream().filter(wanted).toList();
        Map<String, RoomId> rooms = new LinkedHashMap<>();
        for (int i = 0; rooms.size() < masters.size(); i++) {
            RoomId room = RoomId.of("r" + i);
            int slot = SlotHash.getSlot(namespace + ":" + Topic.room(room).key());
            masters.stream().filter(node -> node.hasSlot(slot)).findFirst()
                    .ifPresent(node -> rooms.putIfAbsent(node.getNodeId(), room));
        }
        return rooms;
    }

    /** Moves the (key-less) slot of {@code channel} to {@code target}, the way a resharding does. */
    void moveSlot(String channel, RedisClusterNode target) {
        int slot = SlotHash.getSlot(channel);
        RedisClusterNode source = masterOf(channel);
        on(target).clusterSetSlotImporting(slot, source.getNodeId());
        on(source).clusterSetSlotMigrating(slot, target.getNodeId());
        on(target).clusterSetSlotNode(slot, target.getNodeId());
        on(source).clusterSetSlotNode(slot, target.getNodeId());
        for (RedisClusterNode other : masters()) {
            if (!other.getNodeId().equals(source.getNodeId()) && !other.getNodeId().equals(target.getNodeId())) {
                on(other).clusterSetSlotNode(slot, target.getNodeId());
            }
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
