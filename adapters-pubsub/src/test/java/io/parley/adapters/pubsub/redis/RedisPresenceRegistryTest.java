package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.testkit.PresenceRegistryContract;
import org.junit.jupiter.api.AfterAll;

/** The Redis presence registry keeps the presence contract. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {
    private static final RedisNodes NODES = RedisNodes.shared();

    @Override
    protected PresenceRegistry newRegistry() {
        return NODES.node().presence();
    }

    @AfterAll
    static void closeNodes() {
        NODES.close();
    }
}
