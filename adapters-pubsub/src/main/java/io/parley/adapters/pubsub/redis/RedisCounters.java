package io.parley.adapters.pubsub.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.parley.application.port.out.UsageCounters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link UsageCounters} in Redis, shared by every node, so a per-user limit holds for the deployment. Each
 * operation is one Lua script on one key (one cluster slot), run atomically, on Redis' own clock:
 * <ul>
 *     <li>{@code <ns>:limits:bucket:<key>}, a hash ({@code tokens}, {@code at}): a token bucket, expiring once it
 *     would be full again;</li>
 *     <li>{@code <ns>:limits:held:<key>}, a sorted set: the holders, each scored by when its place lapses. This
 *     node renews its own places every lease/3 ({@link #renew()}); a node that dies stops renewing, and its
 *     places lapse within a lease.</li>
 * </ul>
 * <b>When Redis cannot be reached the limits fail open</b>: a command, a connection or a room is let through
 * (and counted in {@link #unavailable()}), since refusing every user because the limit store is down would
 * turn a Redis outage into a chat outage. A place taken then is counted once Redis is back, at the next
 * renewal.
 */
final class RedisCounters implements UsageCounters {
    private static final System.Logger LOG = System.getLogger(RedisCounters.class.getName());

    private static final String NOW = """
            if redis.replicate_commands then pcall(redis.replicate_commands) end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;
    /** KEYS[1] bucket; ARGV wanted, capacity, tokens per ms. Returns how many were taken. */
    private static final PresenceScripts.Script TAKE = new PresenceScripts.Script(NOW + """
            local wanted, cap, per_ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens, at = tonumber(b[1]), tonumber(b[2])
            if tokens == nil or at == nil then tokens, at = cap, now end
            if now > at then tokens = math.min(cap, tokens + (now - at) * per_ms) end
            local taken = math.min(wanted, math.floor(tokens))
            tokens = tokens - taken
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', now))
            redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / per_ms) + 1000)
            return taken
            """);
    /** KEYS[1] set; ARGV holder, max, lease ms. Returns 1 when held. */
    private static final PresenceScripts.Script HOLD = new PresenceScripts.Script(NOW + """
            local max, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= max then
              return 0
            end
            redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
            redis.call('PEXPIRE', KEYS[1], lease)
            return 1
            """);
    /** KEYS[1] set. Returns how many places are held. */
    private static final PresenceScripts.Script COUNT = new PresenceScripts.Script(NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            return redis.call('ZCARD', KEYS[1])
            """);
    /** KEYS[1] set; ARGV lease ms, holders... Extends each holder's place by a lease. */
    private static final PresenceScripts.Script RENEW = new PresenceScripts.Script(NOW + """
            local lease = tonumber(ARGV[1])
            for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + lease, ARGV[i]) end
            redis.call('PEXPIRE', KEYS[1], lease)
            return #ARGV - 1
            """);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String prefix;
    private final Duration timeout;
    private final long leaseMillis;
    private final Map<String, Set<String>> mine = new ConcurrentHashMap<>();
    private final AtomicLong unavailable = new AtomicLong();

    RedisCounters(RedisClusterAsyncCommands<String, String> redis, String namespace, Duration timeout, Duration lease) {
        this.redis = redis;
        this.prefix = namespace + ":limits:"; // no hash tag: each script touches one key, spread over the slots
        this.timeout = timeout;
        this.leaseMillis = lease.toMillis();
    }

    @Override
    public int take(String key, int wanted, double capacity, double perSecond) {
        Long taken = await(TAKE.run(redis, ScriptOutputType.INTEGER, new String[] {prefix + "bucket:" + key},
                Integer.toString(wanted), Double.toString(capacity), Double.toString(perSecond / 1000.0)), "take");
        return taken == null ? wanted : taken.intValue();
    }

    @Override
    public boolean hold(String key, String holder, int max) {
        Long held = await(HOLD.run(redis, ScriptOutputType.INTEGER, new String[] {prefix + "held:" + key},
                holder, Integer.toString(max), Long.toString(leaseMillis)), "hold");
        if (held != null && held == 0) {
            return false;
        }
        mine.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(holder);
        return true;
    }

    @Override
    public void release(String key, String holder) {
        mine.computeIfPresent(key, (k, set) -> {
            set.remove(holder);
            return set.isEmpty() ? null : set;
        });
        Channels.attempt(() -> redis.zrem(prefix + "held:" + key, holder).toCompletableFuture())
                .exceptionally(e -> {
                    unavailable.incrementAndGet();
                    return null; // the place lapses within a lease
                });
    }

    @Override
    public int held(String key) {
        Long count = await(COUNT.run(redis, ScriptOutputType.INTEGER, new String[] {prefix + "held:" + key}), "count");
        return count == null ? 0 : count.intValue();
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** Extends every place this node holds by a lease (run every lease/3). */
    void renew() {
        for (Map.Entry<String, Set<String>> entry : mine.entrySet()) {
            List<String> holders = List.copyOf(entry.getValue());
            if (holders.isEmpty()) {
                continue;
            }
            String[] args = new String[holders.size() + 1];
            args[0] = Long.toString(leaseMillis);
            for (int i = 0; i < holders.size(); i++) {
                args[i + 1] = holders.get(i);
            }
            RENEW.run(redis, ScriptOutputType.INTEGER, new String[] {prefix + "held:" + entry.getKey()}, args)
                    .exceptionally(e -> {
                        unavailable.incrementAndGet();
                        return null;
                    });
        }
    }

    /** @return how many times a limit was let through (failed open) because Redis could not be reached */
    long unavailable() {
        return unavailable.get();
    }

    private <T> T await(CompletableFuture<T> reply, String what) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (unavailable.get() % 1000 == 0) {
                LOG.log(System.Logger.Level.WARNING, "usage limit '" + what + "' let through: Redis did not answer ("
                        + e + ")");
            }
        }
        unavailable.incrementAndGet();
        return null;
    }
}
