package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Fanout;
import io.parley.testkit.FanoutContract;
import io.parley.testservices.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterEach;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The fan-out contract on a real Redis Cluster of three masters: the nodes find cluster mode from the seed URI
 * and so use sharded pub/sub, each channel on the master of its slot; the peer is a second node.
 */
class ClusterRedisFanoutTest extends FanoutContract {
    private final Map<Fanout, Fanout> peers = new IdentityHashMap<>();
    private RedisNodes nodes;

    @Override
    protected synchronized Fanout newFanout() {
        // Started on first use; without redis-server and redis-cli on the PATH this aborts (skips) the test.
        nodes = nodes(EmbeddedRedisCluster.shared());
        return nodes.node().fanout();
    }

    @Override
    protected synchronized Fanout peerOf(Fanout fanout) {
        return peers.computeIfAbsent(fanout, f -> nodes.node().fanout());
    }

    @AfterEach
    void closeNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /** @return the nodes of one test on {@code cluster} */
    RedisNodes nodes(EmbeddedRedisCluster cluster) {
        return RedisNodes.onCluster(cluster);
    }
}
