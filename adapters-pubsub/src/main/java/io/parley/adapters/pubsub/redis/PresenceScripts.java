package io.parley.adapters.pubsub.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * The Lua scripts that keep presence consistent across nodes. Each runs atomically in Redis, so concurrent
 * nodes never announce one change twice.
 *
 * <p>Data, all under one hash tag (one cluster slot) so a script may touch several keys:
 * <ul>
 *     <li>{@code {ns}:presence:user:<user>}, a hash: {@code s:<session>} = {@code <status>\t<expiry ms>\t<node>}
 *     for each live session, and {@code ~status} / {@code ~since} for the aggregate and its last change. A user
 *     without sessions keeps the hash (for last seen) for {@link #KEEP_OFFLINE_MS}.</li>
 *     <li>{@code {ns}:presence:expiring}, a sorted set: each user with sessions, scored by the earliest expiry of
 *     their sessions, so a sweep finds expired sessions without scanning.</li>
 * </ul>
 * Expiry times come from Redis' own clock ({@code TIME}), so nodes with skewed clocks agree on them.
 */
final class PresenceScripts {
    /** How long an offline user's last-seen time is kept: 30 days. */
    static final long KEEP_OFFLINE_MS = 30L * 24 * 3600 * 1000;

    private static final String COMMON = """
            if redis.replicate_commands then pcall(redis.replicate_commands) end
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function entry(status, expiry, node)
              return status .. '\\t' .. string.format('%d', expiry) .. '\\t' .. node
            end
            -- Drops the user's expired sessions, aggregates the others, stores a changed status with the time
            -- `at` and keeps the expiry index in step. Returns the new status if it changed, else false.
            local function settle(key, idx, user, now, at)
              local fields = redis.call('HGETALL', key)
              local online, away, earliest = false, false, nil
              for i = 1, #fields, 2 do
                local f = fields[i]
                if string.sub(f, 1, 2) == 's:' then
                  local st, exp = string.match(fields[i + 1], '^(%a+)\\t(%d+)')
                  exp = tonumber(exp)
                  if exp <= now then
                    redis.call('HDEL', key, f)
                  else
                    if st == 'online' then online = true else away = true end
                    if earliest == nil or exp < earliest then earliest = exp end
                  end
                end
              end
              local status = 'offline'
              if online then status = 'online' elseif away then status = 'away' end
              if earliest then
                redis.call('ZADD', idx, earliest, user)
              else
                redis.call('ZREM', idx, user)
              end
              local previous = redis.call('HGET', key, '~status') or 'offline'
              local changed = false
              if status ~= previous then
                redis.call('HSET', key, '~status', status, '~since', at)
                changed = status
              end
              if earliest then
                redis.call('PERSIST', key)
              elseif redis.call('EXISTS', key) == 1 then
                redis.call('PEXPIRE', key, KEEP_OFFLINE_MS)
              end
              return changed
            end
            """.replace("KEEP_OFFLINE_MS", Long.toString(KEEP_OFFLINE_MS));

    /**
     * A session opens, sets its status, closes, or is restored by its node. KEYS: user hash, index. ARGV: user,
     * operation (open|status|close|restore), session, status, node, ttl ms, at. Returns the new status if the
     * user's aggregate changed.
     */
    static final PresenceScripts.Script CHANGE = new Script(COMMON + """
            local now = now_ms()
            local field = 's:' .. ARGV[3]
            local op = ARGV[2]
            if op == 'close' then
              redis.call('HDEL', KEYS[1], field)
            elseif op == 'status' then
              if redis.call('HEXISTS', KEYS[1], field) == 1 then
                redis.call('HSET', KEYS[1], field, entry(ARGV[4], now + tonumber(ARGV[6]), ARGV[5]))
              end
            else
              redis.call('HSET', KEYS[1], field, entry(ARGV[4], now + tonumber(ARGV[6]), ARGV[5]))
            end
            return settle(KEYS[1], KEYS[2], ARGV[1], now, ARGV[7])
            """);

    /**
     * A node extends the expiry of its sessions of one user. KEYS: user hash, index. ARGV: user, ttl ms, then the
     * sessions. Returns the sessions that Redis no longer has (swept during an outage, or Redis lost its data),
     * for the node to restore.
     */
    static final PresenceScripts.Script REFRESH = new Script(COMMON + """
            local now = now_ms()
            local expiry = now + tonumber(ARGV[2])
            local missing = {}
            for i = 3, #ARGV do
              local field = 's:' .. ARGV[i]
              local v = redis.call('HGET', KEYS[1], field)
              if v then
                local st, exp, node = string.match(v, '^(%a+)\\t(%d+)\\t(.*)$')
                redis.call('HSET', KEYS[1], field, entry(st, expiry, node))
              else
                table.insert(missing, ARGV[i])
              end
            end
            local fields = redis.call('HGETALL', KEYS[1])
            local earliest = nil
            for i = 1, #fields, 2 do
              if string.sub(fields[i], 1, 2) == 's:' then
                local exp = tonumber(string.match(fields[i + 1], '^%a+\\t(%d+)'))
                if earliest == nil or exp < earliest then earliest = exp end
              end
            end
            if earliest then redis.call('ZADD', KEYS[2], earliest, ARGV[1]) end
            return missing
            """);

    /**
     * Removes expired sessions of up to {@code limit} users. KEYS: index. ARGV: user hash prefix, at, limit.
     * Returns user, new status, user, new status, ... for each user whose aggregate changed: only the sweep that
     * removed the sessions sees the change, so exactly one node reports it.
     */
    static final PresenceScripts.Script SWEEP = new Script(COMMON + """
            local now = now_ms()
            local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
            local out = {}
            for _, user in ipairs(users) do
              local changed = settle(ARGV[1] .. user, KEYS[1], user, now, ARGV[2])
              if changed then
                table.insert(out, user)
                table.insert(out, changed)
              end
            end
            return out
            """);

    private PresenceScripts() {
    }

    /** A script run by digest, sent in full when Redis does not know it (e.g. after a restart). */
    static final class Script {
        private final String source;
        private final String sha;

        Script(String source) {
            this.source = source;
            this.sha = sha1(source);
        }

        <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
                                     String... args) {
            return Channels.<T>attempt(() -> redis.<T>evalsha(sha, type, keys, args).toCompletableFuture())
                    .exceptionallyCompose(error -> noScript(error)
                            ? Channels.<T>attempt(() -> redis.<T>eval(source, type, keys, args).toCompletableFuture())
                            : CompletableFuture.failedFuture(error));
        }

        private static boolean noScript(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof RedisNoScriptException) {
                    return true;
                }
            }
            return false;
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
