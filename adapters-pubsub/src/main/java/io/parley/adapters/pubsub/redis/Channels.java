package io.parley.adapters.pubsub.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;

import java.util.concurrent.CompletableFuture;

/**
 * The broker's channel commands: classic pub/sub, or sharded pub/sub (Redis 7), whose channels live in their own
 * namespace: a {@code SPUBLISH} reaches only {@code SSUBSCRIBE}rs, a {@code PUBLISH} only {@code SUBSCRIBE}rs.
 */
interface Channels {
    /**
     * @param channel the channel to publish on
     * @param message payload
     * @return completes with the number of receivers, or fails when the broker is unreachable
     */
    CompletableFuture<Long> publish(String channel, String message);

    /**
     * @param channels the channels to add to this connection's subscriptions
     * @return completes when Redis confirmed the subscription
     */
    CompletableFuture<Void> subscribe(String... channels);

    /**
     * @param channels the channels to drop from this connection's subscriptions
     * @return completes when Redis confirmed
     */
    CompletableFuture<Void> unsubscribe(String... channels);

    /**
     * Runs a command, turning a synchronous failure (e.g. the client was shut down) into a failed future.
     *
     * @param command the Redis call to make
     * @param <T>     its result
     * @return its result
     */
    static <T> CompletableFuture<T> attempt(java.util.function.Supplier<CompletableFuture<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@code PUBLISH} on the command connection, {@code SUBSCRIBE} on the subscription connection. On a Redis Cluster
     * too: there a publication reaches the subscribers of every node, and lettuce subscribes on one node.
     */
    static Channels classic(RedisClusterAsyncCommands<String, String> commands,
                            RedisPubSubAsyncCommands<String, String> pubsub) {
        return new Channels() {
            @Override
            public CompletableFuture<Long> publish(String channel, String message) {
                return attempt(() -> commands.publish(channel, message).toCompletableFuture());
            }

            @Override
            public CompletableFuture<Void> subscribe(String... channels) {
                return attempt(() -> pubsub.subscribe(channels).toCompletableFuture());
            }

            @Override
            public CompletableFuture<Void> unsubscribe(String... channels) {
                return attempt(() -> pubsub.unsubscribe(channels).toCompletableFuture());
            }
        };
    }

    /**
     * {@code SPUBLISH} on the command connection, {@code SSUBSCRIBE}/{@code SUNSUBSCRIBE} on the subscription
     * connection; messages arrive through {@code RedisPubSubListener.smessage}. For one server: a Redis Cluster
     * refuses shard channels of several slots in one command ({@link ClusterConnections} has its own).
     */
    static Channels sharded(RedisClusterAsyncCommands<String, String> commands,
                            RedisPubSubAsyncCommands<String, String> pubsub) {
        return new Channels() {
            @Override
            public CompletableFuture<Long> publish(String channel, String message) {
                return attempt(() -> commands.spublish(channel, message).toCompletableFuture());
            }

            @Override
            public CompletableFuture<Void> subscribe(String... channels) {
                return attempt(() -> pubsub.ssubscribe(channels).toCompletableFuture());
            }

            @Override
            public CompletableFuture<Void> unsubscribe(String... channels) {
                return attempt(() -> pubsub.sunsubscribe(channels).toCompletableFuture());
            }
        };
    }
}
