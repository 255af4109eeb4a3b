package io.parley.adapters.pubsub.redis;

/**
 * The fan-out contract again on sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}), which Redis 7 also offers
 * on a single server; {@link ShardedPubSubTest} checks that these really are the commands used.
 */
class ShardedRedisFanoutTest extends RedisFanoutTest {
    @Override
    boolean sharded() {
        return true;
    }
}
