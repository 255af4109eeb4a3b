package io.parley.adapters.pubsub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections to a Redis Cluster through {@link RedisClusterClient}. Commands go to the master of their key's slot
 * (presence keys share one hash tag, so each script runs on one slot); lettuce follows {@code MOVED}/{@code ASK} and
 * re-reads the topology periodically and when redirected or disconnected.
 *
 * <p>Sharded channels: a {@code SPUBLISH} goes to the master of the channel's slot, and an {@code SSUBSCRIBE} too,
 * on lettuce's pub/sub connection to that master; one command per channel, because the cluster refuses shard
 * channels of several slots in one command. When a slot moves to another master, Redis drops its shard
 * subscriptions ({@code sunsubscribe} pushed by the server); that is told apart from this node's own
 * {@code SUNSUBSCRIBE}s and reported through {@link BrokerEvents#shardChannelDropped}. When a master fails, its
 * subscriptions are just gone: so every topology change lettuce sees is compared with the one before, and the slots
 * that changed master are reported through {@link BrokerEvents#slotsMoved}. Classic channels: lettuce subscribes on
 * one node (another one after a reconnect) and a {@code PUBLISH} on any master reaches every node's subscribers.
 */
final class ClusterConnections implements Connections {
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> commands;
    private final StatefulRedisClusterPubSubConnection<String, String> subscriptions;
    private final Channels channels;
    /** Shard channels this node sent {@code SUNSUBSCRIBE} for and whose confirmation has not arrived. */
    private final Map<String, Integer> unsubscribing = new ConcurrentHashMap<>();
    private final Disposable topologyWatch;

    ClusterConnections(ConnectionSettings settings, ClientResources resources, BrokerEvents events) {
        this.client = RedisClusterClient.create(resources, settings.uri());
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                // As on one server: fail at once while a master is unreachable instead of queueing.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(settings.topologyRefresh())
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        client.addListener(new ReconnectWatch(events));
        try {
            this.commands = client.connect();
            this.subscriptions = client.connectPubSub();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                events.message(channel, message);
            }

            @Override
            public void smessage(String shardChannel, String message) {
                events.message(shardChannel, message);
            }

            @Override
            public void sunsubscribed(String shardChannel, long count) {
                if (!confirmed(shardChannel)) {
                    events.shardChannelDropped(shardChannel);
                }
            }
        });
        this.channels = settings.sharded()
                ? new ShardChannels()
                : Channels.classic(commands.async(), subscriptions.async());
        this.topologyWatch = settings.sharded()
                ? resources.eventBus().get().ofType(ClusterTopologyChangedEvent.class).subscribe(change -> {
                    BitSet moved = movedSlots(change);
                    if (!moved.isEmpty()) {
                        events.slotsMoved(channel -> moved.get(SlotHash.getSlot(channel)));
                    }
                })
                : () -> { };
    }

    @Override
    public RedisClusterAsyncCommands<String, String> commands() {
        return commands.async();
    }

    @Override
    public Channels channels() {
        return channels;
    }

    @Override
    public void close() {
        topologyWatch.dispose();
        subscriptions.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** @return the slots whose master is another one after {@code change} than before it */
    private static BitSet movedSlots(ClusterTopologyChangedEvent change) {
        String[] before = masters(change.before());
        String[] after = masters(change.after());
        BitSet moved = new BitSet(SlotHash.SLOT_COUNT);
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
            if (!Objects.equals(before[slot], after[slot])) {
                moved.set(slot);
            }
        }
        return moved;
    }

    /** @return the node id of each slot's master, by slot */
    private static String[] masters(List<RedisClusterNode> nodes) {
        String[] master = new String[SlotHash.SLOT_COUNT];
        for (RedisClusterNode node : nodes) {
            if (node.getRole().isUpstream()) {
                for (int slot : node.getSlots()) {
                    master[slot] = node.getNodeId();
                }
            }
        }
        return master;
    }

    /** @return whether a {@code sunsubscribe} answered this node's own {@code SUNSUBSCRIBE} (which it then clears) */
    private boolean confirmed(String channel) {
        boolean[] pending = new boolean[1];
        unsubscribing.computeIfPresent(channel, (c, count) -> {
            pending[0] = true;
            return count > 1 ? count - 1 : null;
        });
        return pending[0];
    }

    /** Sharded pub/sub on the cluster: each channel's commands go to the master of its slot. */
    private final class ShardChannels implements Channels {
        @Override
        public CompletableFuture<Long> publish(String channel, String message) {
            return Channels.attempt(() -> commands.async().spublish(channel, message).toCompletableFuture());
        }

        @Override
        public CompletableFuture<Void> subscribe(String... channels) {
            CompletableFuture<?>[] each = new CompletableFuture<?>[channels.length];
            for (int i = 0; i < channels.length; i++) {
                String channel = channels[i];
                each[i] = Channels.attempt(() -> subscriptions.async().ssubscribe(channel).toCompletableFuture());
            }
            return CompletableFuture.allOf(each);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String... channels) {
            CompletableFuture<?>[] each = new CompletableFuture<?>[channels.length];
            for (int i = 0; i < channels.length; i++) {
                String channel = channels[i];
                unsubscribing.merge(channel, 1, Integer::sum);
                each[i] = Channels.attempt(() -> subscriptions.async().sunsubscribe(channel).toCompletableFuture())
                        .whenComplete((ok, error) -> {
                            if (error != null) {
                                confirmed(channel); // no confirmation will come
                            }
                        });
            }
            return CompletableFuture.allOf(each);
        }
    }
}
