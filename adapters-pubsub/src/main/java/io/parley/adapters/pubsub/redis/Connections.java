package io.parley.adapters.pubsub.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A node's connections to Redis: a command connection (publications, presence scripts) and a subscription
 * connection, to one endpoint ({@link StandaloneConnections}: a server, or the master a Sentinel names) or to a
 * Redis Cluster ({@link ClusterConnections}). Lettuce reconnects them by itself; {@link BrokerEvents} hears when.
 */
interface Connections {
    /** @return the command API; on a cluster every command goes to the master of its first key's slot */
    RedisClusterAsyncCommands<String, String> commands();

    /** @return the channel commands, classic or sharded as the settings say */
    Channels channels();

    /** Closes every connection and the client. */
    void close();

    /**
     * Connects.
     *
     * @param settings  where and how
     * @param resources the client's threads and reconnect delay; the caller shuts them down
     * @param events    where messages and reconnects are reported
     * @return the open connections
     * @throws io.lettuce.core.RedisException when Redis cannot be reached
     */
    static Connections open(ConnectionSettings settings, ClientResources resources, BrokerEvents events) {
        return settings.cluster()
                ? new ClusterConnections(settings, resources, events)
                : new StandaloneConnections(settings, resources, events);
    }

    /**
     * Reports connections that come back after they broke. A connection counts once it was disconnected, so first
     * connects (also of the node connections a cluster client opens on demand) are not reconnects.
     */
    final class ReconnectWatch implements RedisConnectionStateListener {
        private final Set<RedisChannelHandler<?, ?>> broken = Collections.synchronizedSet(
                Collections.newSetFromMap(new WeakHashMap<>()));
        private final BrokerEvents events;

        ReconnectWatch(BrokerEvents events) {
            this.events = events;
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            broken.add(connection);
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (broken.remove(connection)) {
                if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                    events.subscriptionsReconnected();
                } else {
                    events.commandsReconnected();
                }
            }
        }
    }
}
