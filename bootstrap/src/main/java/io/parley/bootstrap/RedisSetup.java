package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.adapters.pubsub.redis.RedisPubSub;

import java.time.Clock;
import java.time.Duration;

/** Connects a node to Redis from {@code parley.fanout.redis} ({@code parley.fanout.kind: redis}). */
final class RedisSetup {
    /** How long the readiness check waits for its probe to come back through Redis. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private RedisSetup() {
    }

    static Infrastructure.Probe readiness(RedisPubSub redis) {
        return new Infrastructure.Probe("fanout", () -> redis.roundTrip(PROBE_TIMEOUT));
    }

    static RedisPubSub connect(Config redis, Clock clock) {
        RedisPubSub.Builder builder = RedisPubSub.builder()
                .uri(redis.get("uri").asString().orElse("redis://127.0.0.1:6379"))
                .sharded(redis.get("sharded").asBoolean().orElse(false))
                .namespace(redis.get("namespace").asString().orElse("parley"))
                .presenceTtl(redis.get("presence-ttl").as(Duration.class).orElse(Duration.ofSeconds(30)))
                .timeout(redis.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(2)))
                .clock(clock);
        redis.get("presence-sweep").as(Duration.class).ifPresent(builder::sweepInterval);
        return builder.build();
    }
}
