package io.parley.adapters.pubsub.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.UsageCounters;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A node's connection to Redis, giving it a cluster-wide {@link Fanout}, {@link PresenceRegistry} and
 * {@link UsageCounters} (the per-user limits). Two
 * connections: one for commands (publish, presence scripts; pipelined by lettuce) and one for subscriptions, to
 * one endpoint (a server, or the master a Sentinel names) or, with {@link Builder#cluster}, to a Redis Cluster.
 * Lettuce reconnects them by itself; after a reconnect every channel is subscribed again and every local
 * subscription receives a {@link io.parley.application.port.out.Signal.Resync}. Channels are classic
 * ({@code PUBLISH}/{@code SUBSCRIBE}) or, with {@link Builder#sharded} (the default on a cluster), sharded
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}).
 *
 * <pre>{@code
 * RedisPubSub redis = RedisPubSub.builder().uri("redis://redis:6379").build();
 * ChatCore core = ChatCore.builder().fanout(redis.fanout()).presence(redis.presence())
 *         .counters(redis.counters()) ... .build();
 * // readiness: redis.roundTrip(Duration.ofSeconds(1)); on shutdown: redis.close()
 * }</pre>
 */
public final class RedisPubSub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisPubSub.class.getName());
    private static final Duration TYPING_RENEWAL = Duration.ofSeconds(1);
    private static final Duration TYPING_SWEEP = Duration.ofMillis(250);

    private final String node;
    private final ClientResources resources;
    private final Connections connections;
    private final Channels channels;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler;
    private final RedisFanout fanout;
    private final RedisPresenceRegistry presence;
    private final RedisCounters counters;
    private final ReadinessProbe probe;

    private RedisPubSub(Builder b, ConnectionSettings settings) {
        this.node = b.node;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-redis-" + node).factory());
        // Reconnect attempts back off from 10 ms up to 1 s (lettuce's default goes up to 30 s): after an outage a
        // node is delivering again about a second after Redis is.
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        try {
            this.connections = Connections.open(settings, resources, new Events());
        } catch (RuntimeException e) {
            resources.shutdown();
            scheduler.shutdownNow();
            throw e;
        }
        this.channels = connections.channels();
        TypingLiveness typing = new TypingLiveness(b.clock);
        this.fanout = new RedisFanout(channels, node, b.namespace + ":", workers, b.timeout, typing);
        this.presence = new RedisPresenceRegistry(connections.commands(), b.namespace, node, b.presenceTtl, b.timeout,
                b.clock);
        this.counters = new RedisCounters(connections.commands(), b.namespace, b.timeout, b.limitLease);
        this.probe = new ReadinessProbe(channels, b.namespace + ":probe:" + node, workers);
        try {
            probe.subscribe(settings.timeout(), settings.sharded());
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
        every(b.refreshInterval, () -> workers.execute(presence::refresh));
        every(b.sweepInterval, () -> workers.execute(presence::sweep));
        every(b.limitLease.dividedBy(3), () -> workers.execute(counters::renew));
        every(TYPING_RENEWAL, fanout::renewTyping);
        every(TYPING_SWEEP, fanout::expireTyping);
    }

    /** @return a builder; {@link Builder#uri} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the cluster-wide fan-out */
    public Fanout fanout() {
        return fanout;
    }

    /** @return the cluster-wide presence registry */
    public PresenceRegistry presence() {
        return presence;
    }

    /** @return the counts behind the per-user limits, shared by every node (they fail open while Redis is down) */
    public UsageCounters counters() {
        return counters;
    }

    /** @return how many times a usage limit was let through because Redis did not answer */
    public long limitsLetThrough() {
        return counters.unavailable();
    }

    /** @return this node's id in Redis (presence entries, probe channel) */
    public String node() {
        return node;
    }

    /**
     * The readiness check: publishes a probe on this node's private channel and waits for it to come back
     * through the subscription connection, so "Redis answers but delivery is broken" counts as down.
     *
     * @param timeout how long to wait
     * @return whether the probe came back in time
     */
    public boolean roundTrip(Duration timeout) {
        return probe.roundTrip(timeout);
    }

    /** @return signals published to Redis since start */
    public long publishedSignals() {
        return fanout.published();
    }

    /** @return signals that could not be published (Redis unreachable); local listeners still got them */
    public long lostSignals() {
        return fanout.lost();
    }

    /**
     * Stops this node's timers and closes both connections. Presence entries are left to expire: a node that
     * shuts down cleanly has already closed its sessions.
     */
    @Override
    public void close() {
        presence.stop();
        scheduler.shutdownNow();
        try {
            connections.close();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the Redis client: " + e);
        }
        workers.shutdownNow();
    }

    /** For tests: stops refreshing this node's presence entries, as if the node had crashed. */
    void stopPresenceRefresh() {
        presence.stop();
    }

    /**
     * What the connections report; on lettuce's event loop, so it only hands over. Reports may come while the
     * constructor still runs: the fields set after the connections are then null.
     */
    private final class Events implements BrokerEvents {
        @Override
        public void message(String channel, String message) {
            if (probe != null && !probe.arrived(channel, message)) {
                fanout.received(channel, message);
            }
        }

        @Override
        public void subscriptionsReconnected() {
            if (probe != null) {
                LOG.log(System.Logger.Level.INFO, "Redis subscription connection re-established; resubscribing");
                fanout.reconnected(probe.channel());
            }
        }

        @Override
        public void commandsReconnected() {
            if (presence != null) {
                workers.execute(presence::refresh);
            }
        }

        @Override
        public void shardChannelDropped(String channel) {
            slotsMoved(channel::equals);
        }

        @Override
        public void slotsMoved(Predicate<String> moved) {
            if (probe != null) {
                workers.execute(() -> {
                    if (moved.test(probe.channel())) {
                        probe.resubscribe();
                    }
                    fanout.moved(moved);
                });
            }
        }
    }

    private void every(Duration interval, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a Redis maintenance task failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Settings of a {@link RedisPubSub}; every one but the URI has a default. */
    public static final class Builder {
        private String uri;
        private String namespace = "parley";
        private String node = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        private Duration presenceTtl = Duration.ofSeconds(30);
        private Duration limitLease = Duration.ofSeconds(60);
        private Duration refreshInterval;
        private Duration sweepInterval;
        private Duration timeout = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        /** Unset: a cluster when the URI names several hosts. */
        private Boolean cluster;
        /** Unset: sharded on a cluster, classic otherwise. */
        private Boolean sharded;
        private Duration topologyRefresh = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * @param sharded whether to use sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}/{@code SUNSUBSCRIBE},
         *                Redis 7 or later) instead of classic pub/sub (default: true on a cluster, false otherwise).
         *                Every node of a deployment must use the same mode: sharded and classic channels do not
         *                hear each other
         * @return this builder
         */
        public Builder sharded(boolean sharded) {
            this.sharded = sharded;
            return this;
        }

        /**
         * @param cluster whether Redis is a Redis Cluster, reached through lettuce's cluster client: commands and
         *                shard channels go to the master of their slot, the topology is re-read as it changes
         *                (default: true when the URI names several hosts, {@code redis://h1:6379,h2:6379}, false
         *                otherwise; any one node of the cluster is enough as seed)
         * @return this builder
         */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param interval how often a cluster client re-reads the cluster's topology (default 30 s); it also does
         *                 when redirected ({@code MOVED}/{@code ASK}) or when it keeps failing to reconnect to a node.
         *                 Ignored without {@link #cluster}
         * @return this builder
         */
        public Builder topologyRefresh(Duration interval) {
            this.topologyRefresh = positive(interval, "topology refresh");
            return this;
        }

        /**
         * @param uri a Redis URI as lettuce reads it: {@code redis://host:6379}, {@code rediss://…} (TLS),
         *            {@code redis-sentinel://host:26379,host2:26379/0#mymaster}, or the seed nodes of a
         *            {@link #cluster cluster}: {@code redis://[:password@]host1:6379,host2:6379}
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * @param namespace prefix of every channel and key, so deployments can share a Redis (default
         *                  {@code parley})
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /**
         * @param node this node's id, unique in the deployment (default: random)
         * @return this builder
         */
        public Builder node(String node) {
            this.node = Objects.requireNonNull(node, "node");
            return this;
        }

        /**
         * @param lease how long a held place (an open connection or stream, for the per-user limits) lasts
         *              without renewal; this node renews its own every lease/3, so a node that dies frees its
         *              users' places within a lease (default 60 s)
         * @return this builder
         */
        public Builder limitLease(Duration lease) {
            this.limitLease = positive(lease, "limit lease");
            return this;
        }

        /**
         * @param ttl how long a session's presence outlives its node's last refresh (default 30 s): a crashed
         *            node's users go offline within this plus the sweep interval
         * @return this builder
         */
        public Builder presenceTtl(Duration ttl) {
            this.presenceTtl = positive(ttl, "presence ttl");
            return this;
        }

        /**
         * @param interval how often this node refreshes its sessions' presence (default ttl / 3)
         * @return this builder
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = positive(interval, "refresh interval");
            return this;
        }

        /**
         * @param interval how often this node looks for expired presence entries (default ttl / 6)
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = positive(interval, "sweep interval");
            return this;
        }

        /**
         * @param timeout command and connect timeout (default 2 s)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * @param clock time for last-seen stamps of expiries and for typing expiry (default UTC system clock);
         *              presence expiry itself follows Redis' clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Connects to Redis.
         *
         * @return the connected node
         * @throws io.lettuce.core.RedisException    when Redis cannot be reached (on a cluster: no seed node answers,
         *                                            or a master cannot be reached)
         * @throws IllegalStateException              when Redis does not confirm the subscription to the probe channel
         *                                            in time, e.g. sharded pub/sub on a Redis older than 7
         * @throws IllegalArgumentException           when the settings contradict each other: a cluster through
         *                                            Sentinel, or several hosts without cluster
         */
        public RedisPubSub build() {
            Objects.requireNonNull(uri, "uri is required");
            if (refreshInterval == null) {
                refreshInterval = presenceTtl.dividedBy(3);
            }
            if (sweepInterval == null) {
                sweepInterval = presenceTtl.dividedBy(6);
            }
            if (refreshInterval.compareTo(presenceTtl) >= 0) {
                throw new IllegalArgumentException("the refresh interval must be shorter than the presence ttl");
            }
            boolean clustered = cluster == null ? ConnectionSettings.namesSeveralHosts(uri) : cluster;
            ConnectionSettings settings = new ConnectionSettings(uri, clustered, sharded == null ? clustered : sharded,
                    timeout, topologyRefresh);
            return new RedisPubSub(this, settings);
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return value;
        }
    }
}
