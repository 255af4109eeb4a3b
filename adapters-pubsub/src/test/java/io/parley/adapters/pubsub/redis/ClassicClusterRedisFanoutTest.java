package io.parley.adapters.pubsub.redis;

import io.parley.testservices.EmbeddedRedisCluster;

/**
 * The fan-out contract on the Redis Cluster again with classic pub/sub chosen explicitly: a {@code PUBLISH} on the
 * master of the channel's slot reaches the subscribers of every node of the cluster.
 */
class ClassicClusterRedisFanoutTest extends ClusterRedisFanoutTest {
    @Override
    RedisNodes nodes(EmbeddedRedisCluster cluster) {
        return RedisNodes.onClusterClassic(cluster);
    }
}
