package io.parley.adapters.pubsub.redis;

import io.parley.testservices.EmbeddedRedisCluster;
import io.parley.testservices.TestRedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Nodes of one test on one Redis (or one Redis Cluster), in a namespace of their own, all on classic or all on
 * sharded pub/sub; {@link #close()} closes them all.
 */
final class RedisNodes implements AutoCloseable {
    private final String uri;
    private final UnaryOperator<RedisPubSub.Builder> mode;
    private final String namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RedisPubSub> nodes = new ArrayList<>();

    private RedisNodes(String uri, boolean sharded) {
        this(uri, builder -> builder.sharded(sharded));
    }

    private RedisNodes(String uri, UnaryOperator<RedisPubSub.Builder> mode) {
        this.uri = uri;
        this.mode = mode;
    }

    /**
     * Nodes on a Redis Cluster, found from its seed URI (several hosts): cluster mode and its default, sharded
     * pub/sub, are not set but follow from the URI.
     */
    static RedisNodes onCluster(EmbeddedRedisCluster cluster) {
        return new RedisNodes(cluster.uri(), UnaryOperator.identity());
    }

    /** Nodes on a Redis Cluster, with classic pub/sub ({@code PUBLISH}/{@code SUBSCRIBE}) chosen explicitly. */
    static RedisNodes onClusterClassic(EmbeddedRedisCluster cluster) {
        return new RedisNodes(cluster.uri(), builder -> builder.cluster(true).sharded(false));
    }

    /** Nodes on the shared test Redis, on classic pub/sub. */
    static RedisNodes shared() {
        return shared(false);
    }

    /** Nodes on the shared test Redis, on sharded pub/sub if {@code sharded}. */
    static RedisNodes shared(boolean sharded) {
        return new RedisNodes(TestRedis.uri(), sharded);
    }

    /** Nodes on a Redis the test controls, on classic pub/sub. */
    static RedisNodes on(String uri) {
        return on(uri, false);
    }

    /** Nodes on a Redis the test controls, on sharded pub/sub if {@code sharded}. */
    static RedisNodes on(String uri, boolean sharded) {
        return new RedisNodes(uri, sharded);
    }

    /** @return the URI of these nodes' Redis */
    String uri() {
        return uri;
    }

    /** @return the namespace of these nodes' channels and keys */
    String namespace() {
        return namespace;
    }

    /** A node with default settings. */
    RedisPubSub node() {
        return node(RedisPubSub.builder());
    }

    /** A node whose presence entries live {@code ttl}, refreshed every ttl / 3 and swept every ttl / 5. */
    RedisPubSub node(Duration ttl) {
        return node(RedisPubSub.builder().presenceTtl(ttl).sweepInterval(ttl.dividedBy(5)));
    }

    synchronized RedisPubSub node(RedisPubSub.Builder builder) {
        RedisPubSub node = mode.apply(builder.uri(uri).namespace(namespace).timeout(Duration.ofSeconds(1))).build();
        nodes.add(node);
        return node;
    }

    @Override
    public synchronized void close() {
        nodes.forEach(RedisPubSub::close);
        nodes.clear();
    }
}
