package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Fanout;
import io.parley.testkit.FanoutContract;
import org.junit.jupiter.api.AfterEach;

import java.util.IdentityHashMap;
import java.util.Map;

/** The Redis fan-out keeps the fan-out contract; the peer is a second node on the same Redis. */
class RedisFanoutTest extends FanoutContract {
    private final RedisNodes nodes = RedisNodes.shared(sharded());
    private final Map<Fanout, Fanout> peers = new IdentityHashMap<>();

    @Override
    protected Fanout newFanout() {
        return nodes.node().fanout();
    }

    @Override
    protected synchronized Fanout peerOf(Fanout fanout) {
        return peers.computeIfAbsent(fanout, f -> nodes.node().fanout());
    }

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    /** @return whether the nodes use sharded pub/sub (called while the test instance is being built) */
    boolean sharded() {
        return false;
    }
}
