package io.parley.bootstrap;

import io.helidon.config.Config;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.parley.adapters.pubsub.redis.RedisPubSub;

import java.time.Clock;
import java.time.Duration;

/** Connects a node to Redis from {@code parley.fanout.redis} ({@code parley.fanout.kind: redis}). */
final class RedisSetup {
    /** How long the readiness check waits for its probe to come back through Redis. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private RedisSetup() {
    }

    /**
     * Publishes the adapter's own counts as metrics: signals sent to Redis, those lost (Redis down), and limit
     * checks let through (Redis down).
     */
    static void metrics(RedisPubSub redis) {
        MeterRegistry registry = Metrics.globalRegistry();
        registry.getOrCreate(Gauge.builder("parley.fanout.redis.published", redis::publishedSignals)
                .description("Signals published to Redis since start"));
        registry.getOrCreate(Gauge.builder("parley.fanout.redis.lost", redis::lostSignals)
                .description("Signals that could not be published to Redis since start; other nodes read the "
                        + "durable ones from the store"));
        registry.getOrCreate(Gauge.builder("parley.redis.limits.let.through", redis::limitsLetThrough)
                .description("Per-user limit checks let through since start because Redis did not answer "
                        + "(the limits fail open)"));
    }

    static Infrastructure.Probe readiness(RedisPubSub redis) {
        return new Infrastructure.Probe("fanout", () -> redis.roundTrip(PROBE_TIMEOUT));
    }

    static RedisPubSub connect(Config redis, Clock clock) {
        RedisPubSub.Builder builder = RedisPubSub.builder()
                .uri(redis.get("uri").asString().orElse("redis://127.0.0.1:6379"))
                .namespace(redis.get("namespace").asString().orElse("parley"))
                .presenceTtl(redis.get("presence-ttl").as(Duration.class).orElse(Duration.ofSeconds(30)))
                .limitLease(redis.get("limit-lease").as(Duration.class).orElse(Duration.ofSeconds(60)))
                .timeout(redis.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(2)))
                .clock(clock);
        redis.get("presence-sweep").as(Duration.class).ifPresent(builder::sweepInterval);
        // Unset, these follow from the URI: several hosts make a cluster, and a cluster defaults to sharded pub/sub.
        redis.get("cluster").asBoolean().ifPresent(builder::cluster);
        redis.get("sharded").asBoolean().ifPresent(builder::sharded);
        redis.get("topology-refresh").as(Duration.class).ifPresent(builder::topologyRefresh);
        return builder.build();
    }
}
