package io.parley.adapters.persistence.jdbc;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Hikari pool behind the database client, configured so that no call waits without bound: the server
 * cancels statements after the statement timeout, the driver gives up on a server that stops answering
 * shortly after, and the pool gives up on a connection after the connection timeout. Broken connections
 * are dropped and replaced when the database is back, so the store recovers by itself.
 */
final class Pool {
    /** The session settings of every connection (statement and idle-in-transaction timeouts in ms). */
    static final String SESSION_OPTIONS = "-c statement_timeout=%d -c idle_in_transaction_session_timeout=%d"
            + " -c plan_cache_mode=force_custom_plan -c jit=off";

    private Pool() {
    }

    /**
     * @param settings the store's settings
     * @return a new pool (Helidon's Hikari provider); connections are opened lazily
     */
    static JdbcConnectionPool create(JdbcSettings settings) {
        long connectMillis = settings.connectionTimeout().toMillis();
        Map<String, String> properties = new HashMap<>();
        properties.put("url", settings.url());
        properties.put("username", settings.user());
        properties.put("password", settings.password());
        properties.put("poolName", "parley-jdbc");
        properties.put("maximumPoolSize", Integer.toString(settings.poolSize()));
        properties.put("minimumIdle", Integer.toString(settings.poolSize()));
        properties.put("connectionTimeout", Long.toString(connectMillis));
        properties.put("validationTimeout", Long.toString(Math.max(250, connectMillis / 2)));
        properties.put("keepaliveTime", "30000");
        // Start even when the database is down: the store answers unavailable until it is back.
        properties.put("initializationFailTimeout", "-1");
        // Idle transactions: one of the store's never waits between its statements. One that sits idle
        // belongs to a node that froze or lost the network mid-transaction, and the room locks it holds would
        // stall every other node's writers of those rooms; the server ends it after half the statement
        // timeout, before a writer waiting for those locks gives up.
        // Custom plans: a plan cached while a table was small (a fresh database) would keep scanning it
        // whole once it is large; planning each statement anew costs about 0.2 ms (docs/benchmarks.md).
        // No JIT: every statement of the store is short, and PostgreSQL compiles one whenever its estimated
        // cost passes jit_above_cost, as the room list's per-room unread counts do: 35-450 ms of compiling
        // for a page that runs in 15 ms (docs/benchmarks.md, "The room list").
        properties.put("dataSource.options", SESSION_OPTIONS.formatted(settings.statementTimeout().toMillis(),
                idleInTransactionMillis(settings)));
        properties.put("dataSource.connectTimeout", Integer.toString(seconds(settings.connectionTimeout())));
        properties.put("dataSource.loginTimeout", Integer.toString(seconds(settings.connectionTimeout())));
        // A server that hangs (rather than being slow) never cancels anything: the socket gives up.
        properties.put("dataSource.socketTimeout",
                Integer.toString(seconds(settings.statementTimeout()) + seconds(settings.connectionTimeout())));
        properties.put("dataSource.tcpKeepAlive", "true");
        properties.put("dataSource.ApplicationName", "parley");
        Config config = Config.just(ConfigSources.create(properties));
        return JdbcConnectionPool.create(config);
    }

    /**
     * @param settings the store's settings
     * @return how long the server lets a transaction of the store sit idle: half the statement timeout
     */
    static long idleInTransactionMillis(JdbcSettings settings) {
        return Math.max(1, settings.statementTimeout().toMillis() / 2);
    }

    /**
     * @param duration a timeout from the settings
     * @return it in whole seconds, rounded up, at least 1 (the driver's timeouts count seconds)
     */
    static int seconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
