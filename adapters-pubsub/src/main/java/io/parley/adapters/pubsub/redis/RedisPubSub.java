package io.parley.adapters.pubsub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's connection to Redis, giving it a cluster-wide {@link Fanout} and {@link PresenceRegistry}. Two
 * connections: one for commands (publish, presence scripts; pipelined by lettuce) and one for subscriptions.
 * Lettuce reconnects both by itself; after a reconnect every channel is subscribed again and every local
 * subscription receives a {@link io.parley.application.port.out.Signal.Resync}. Channels are classic
 * ({@code PUBLISH}/{@code SUBSCRIBE}) or, with {@link Builder#sharded}, sharded
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}).
 *
 * <pre>{@code
 * RedisPubSub redis = RedisPubSub.builder().uri("redis://redis:6379").build();
 * ChatCore core = ChatCore.builder().fanout(redis.fanout()).presence(redis.presence()) ... .build();
 * // readiness: redis.roundTrip(Duration.ofSeconds(1)); on shutdown: redis.close()
 * }</pre>
 */
public final class RedisPubSub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisPubSub.class.getName());
    private static final Duration TYPING_RENEWAL = Duration.ofSeconds(1);
    private static final Duration TYPING_SWEEP = Duration.ofMillis(250);

    private final String node;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final Channels channels;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler;
    private final RedisFanout fanout;
    private final RedisPresenceRegistry presence;
    private final String probeChannel;
    private final Map<String, CompletableFuture<Void>> probes = new ConcurrentHashMap<>();

    private RedisPubSub(Builder b) {
        this.node = b.node;
        this.probeChannel = b.namespace + ":probe:" + node;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("parley-redis-" + node).factory());
        // Reconnect attempts back off from 10 ms up to 1 s (lettuce's default goes up to 30 s): after an outage a
        // node is delivering again about a second after Redis is.
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(b.uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected instead of queueing: a publish is counted lost, presence
                // answers from this node's own view, and readiness reports the broker down.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(b.timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(b.timeout).keepAlive(true).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                reconnected(connection);
            }
        });
        try {
            this.commands = client.connect();
            this.subscriptions = client.connectPubSub();
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            scheduler.shutdownNow();
            throw e;
        }
        this.channels = b.sharded
                ? Channels.sharded(commands, subscriptions)
                : Channels.classic(commands, subscriptions);
        TypingLiveness typing = new TypingLiveness(b.clock);
        this.fanout = new RedisFanout(channels, node, b.namespace + ":", workers, b.timeout, typing);
        this.presence = new RedisPresenceRegistry(commands, b.namespace, node, b.presenceTtl, b.timeout, b.clock);
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                arrived(channel, message);
            }

            @Override
            public void smessage(String shardChannel, String message) {
                arrived(shardChannel, message);
            }
        });
        subscribeProbe(b);
        every(b.refreshInterval, () -> workers.execute(presence::refresh));
        every(b.sweepInterval, () -> workers.execute(presence::sweep));
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
        String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CompletableFuture<Void> back = new CompletableFuture<>();
        probes.put(nonce, back);
        try {
            channels.publish(probeChannel, nonce).whenComplete((receivers, error) -> {
                if (error != null) {
                    back.completeExceptionally(error);
                }
            });
            back.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } finally {
            probes.remove(nonce);
        }
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
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
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

    /** Called for each message on the subscription connection (on the client's event loop: only hands over). */
    private void arrived(String channel, String message) {
        if (channel.equals(probeChannel)) {
            CompletableFuture<Void> probe = probes.remove(message);
            if (probe != null) {
                probe.complete(null);
            }
        } else {
            fanout.received(channel, message);
        }
    }

    private void subscribeProbe(Builder b) {
        try {
            channels.subscribe(probeChannel).get(b.timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while subscribing to " + probeChannel, e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("Redis did not confirm the subscription to " + probeChannel
                    + (b.sharded ? " (sharded pub/sub needs Redis 7 or later)" : "") + ": " + cause, cause);
        }
    }

    private void reconnected(RedisChannelHandler<?, ?> connection) {
        // The first connect happens in the constructor, before the field is set: only later ones match.
        if (connection == subscriptions && subscriptions != null) {
            LOG.log(System.Logger.Level.INFO, "Redis subscription connection re-established; resubscribing");
            fanout.reconnected(probeChannel);
        } else if (connection == commands && commands != null) {
            workers.execute(presence::refresh);
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
        private Duration refreshInterval;
        private Duration sweepInterval;
        private Duration timeout = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private boolean sharded;

        private Builder() {
        }

        /**
         * @param sharded whether to use sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}/{@code SUNSUBSCRIBE},
         *                Redis 7 or later) instead of classic pub/sub (default false). Every node of a deployment
         *                must use the same mode: sharded and classic channels do not hear each other
         * @return this builder
         */
        public Builder sharded(boolean sharded) {
            this.sharded = sharded;
            return this;
        }

        /**
         * @param uri a Redis URI as lettuce reads it: {@code redis://host:6379}, {@code rediss://…} (TLS),
         *            {@code redis-sentinel://host:26379,host2:26379/0#mymaster}
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
         * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
         * @throws IllegalStateException when Redis does not confirm the subscription to the probe channel in time,
         *                               e.g. sharded pub/sub on a Redis older than 7
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
            return new RedisPubSub(this);
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
