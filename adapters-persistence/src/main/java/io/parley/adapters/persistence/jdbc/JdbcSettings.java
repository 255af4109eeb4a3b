package io.parley.adapters.persistence.jdbc;

import io.helidon.common.config.Config;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach PostgreSQL and how long to wait for it.
 *
 * @param url               JDBC URL, {@code jdbc:postgresql://host:port/database[?options]}
 * @param user              database user
 * @param password          the user's password (empty when the server trusts the user)
 * @param poolSize          most connections held open, for appends and reads together (at least 2)
 * @param statementTimeout  longest a statement may run on the server; also bounds how long a caller waits
 *                          for a hung server (the socket timeout is derived from it)
 * @param connectionTimeout longest a caller waits for a connection from the pool, or for a new one
 * @param writers           threads that commit appends; each owns a share of the rooms and commits the
 *                          drafts queued for them in one transaction (group commit)
 * @param maxBatch          most drafts one writer commits in one transaction
 */
public record JdbcSettings(String url,
                           String user,
                           String password,
                           int poolSize,
                           Duration statementTimeout,
                           Duration connectionTimeout,
                           int writers,
                           int maxBatch) {
    /** Default pool size. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** Default statement timeout. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    /** Default connection timeout. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Default number of writer threads. */
    public static final int DEFAULT_WRITERS = 1;
    /** Default batch limit. */
    public static final int DEFAULT_MAX_BATCH = 256;

    /** Validates the settings. */
    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:postgresql: URL");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("pool size must be at least 2");
        }
        if (writers < 1 || writers >= poolSize) {
            throw new IllegalArgumentException("writers must be at least 1 and below the pool size");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be positive");
        }
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statement timeout must be at least 1 ms");
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms");
        }
    }

    /** @return a builder with the defaults and no URL yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from config: {@code url} (required), {@code user}, {@code password}, {@code pool-size},
     * {@code statement-timeout} and {@code connection-timeout} (ISO-8601 durations such as {@code PT5S}),
     * {@code writers}, {@code max-batch}.
     *
     * @param config the store's config node
     * @return the settings
     */
    public static JdbcSettings create(Config config) {
        Builder builder = builder().url(config.get("url").asString().get());
        config.get("user").asString().ifPresent(builder::user);
        config.get("password").asString().ifPresent(builder::password);
        config.get("pool-size").asInt().ifPresent(builder::poolSize);
        config.get("statement-timeout").as(Duration.class).ifPresent(builder::statementTimeout);
        config.get("connection-timeout").as(Duration.class).ifPresent(builder::connectionTimeout);
        config.get("writers").asInt().ifPresent(builder::writers);
        config.get("max-batch").asInt().ifPresent(builder::maxBatch);
        return builder.build();
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + ", statementTimeout="
                + statementTimeout + ", connectionTimeout=" + connectionTimeout + ", writers=" + writers
                + ", maxBatch=" + maxBatch + "]";
    }

    /** Builds {@link JdbcSettings}. */
    public static final class Builder {
        private String url;
        private String user = "postgres";
        private String password = "";
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private int writers;
        private int maxBatch = DEFAULT_MAX_BATCH;

        private Builder() {
        }

        /** @param url JDBC URL @return this builder */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** @param user database user (default {@code postgres}) @return this builder */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** @param password the user's password (default empty) @return this builder */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** @param poolSize most open connections (default 10) @return this builder */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** @param statementTimeout longest statement (default 5 s) @return this builder */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        /** @param connectionTimeout longest wait for a connection (default 2 s) @return this builder */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /**
         * @param writers writer threads (default 1: one writer makes the largest batches, which measured
         *                best on 2 cores, see docs/benchmarks.md; must stay below the pool size)
         * @return this builder
         */
        public Builder writers(int writers) {
            this.writers = writers;
            return this;
        }

        /** @param maxBatch most drafts per transaction (default 256) @return this builder */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** @return the settings */
        public JdbcSettings build() {
            int writerThreads = writers > 0 ? writers : DEFAULT_WRITERS;
            return new JdbcSettings(url, user, password, poolSize, statementTimeout, connectionTimeout, writerThreads,
                    maxBatch);
        }
    }
}
