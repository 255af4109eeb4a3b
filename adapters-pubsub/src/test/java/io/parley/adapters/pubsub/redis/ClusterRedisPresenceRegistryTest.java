package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.testkit.PresenceRegistryContract;
import io.parley.testservices.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterAll;

/**
 * The presence contract on a real Redis Cluster: every presence key carries the namespace's hash tag, so each
 * script's keys are in one slot, on one master.
 */
class ClusterRedisPresenceRegistryTest extends PresenceRegistryContract {
    private static RedisNodes nodes;

    @Override
    protected PresenceRegistry newRegistry() {
        // Started on first use; without redis-server and redis-cli on the PATH this aborts (skips) the test.
        if (nodes == null) {
            nodes = RedisNodes.onCluster(EmbeddedRedisCluster.shared());
        }
        return nodes.node().presence();
    }

    @AfterAll
    static void closeNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }
}
