package io.parley.adapters.pubsub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;

/** Connections to one endpoint through {@link RedisClient}: a Redis server, or the master a Sentinel names. */
final class StandaloneConnections implements Connections {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final Channels channels;

    StandaloneConnections(ConnectionSettings settings, ClientResources resources, BrokerEvents events) {
        this.client = RedisClient.create(resources, RedisURI.create(settings.uri()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected instead of queueing: a publish is counted lost, presence
                // answers from this node's own view, and readiness reports the broker down.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build())
                .build());
        client.addListener(new ReconnectWatch(events));
        StatefulRedisPubSubConnection<String, String> subscriptions;
        try {
            this.commands = client.connect();
            subscriptions = client.connectPubSub();
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
        });
        this.channels = settings.sharded()
                ? Channels.sharded(commands.async(), subscriptions.async())
                : Channels.classic(commands.async(), subscriptions.async());
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
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
