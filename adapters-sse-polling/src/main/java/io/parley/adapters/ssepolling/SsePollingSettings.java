package io.parley.adapters.ssepolling;

import io.parley.engine.resumable.ResumableSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the SSE and long-poll transports behave. Build with {@link #builder()}; every value has a default fit
 * for production. The heartbeat, replay limit and command rate are the session settings shared with the
 * WebSocket.
 *
 * @param maxStreamsPerUser  open SSE streams per user on one node; more get {@code 429 rate_limited}
 * @param idleExpiry         a session with no stream, poll or command for this long is forgotten; must
 *                           exceed two heartbeat intervals
 * @param maxWait            the longest a long-poll waits ({@code ?wait=} is capped to it)
 * @param defaultWait        the wait of a long-poll without {@code ?wait=}
 * @param retry              the SSE {@code retry:} hint: how long a browser waits before it reconnects
 * @param batchSize          most durable events per poll response and per store read
 * @param maxCommandsPerPost most commands in one {@code POST /v1/commands}; more get {@code 413 too_large}
 * @param maxSessionsPerUser SSE and long-poll sessions one user holds (on every node together); a new one
 *                           beyond it ends the one used longest ago
 */
public record SsePollingSettings(int maxStreamsPerUser, Duration idleExpiry, Duration maxWait,
                                 Duration defaultWait, Duration retry, int batchSize, int maxCommandsPerPost,
                                 int maxSessionsPerUser) {
    /** Validates the settings. */
    public SsePollingSettings {
        Objects.requireNonNull(idleExpiry, "idleExpiry");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(defaultWait, "defaultWait");
        Objects.requireNonNull(retry, "retry");
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("max streams per user must be at least 1");
        }
        if (maxWait.isNegative() || maxWait.toSeconds() > 300) {
            throw new IllegalArgumentException("max wait must be between 0 and 300 seconds");
        }
        if (defaultWait.isNegative() || defaultWait.compareTo(maxWait) > 0) {
            throw new IllegalArgumentException("default wait must be between 0 and the max wait");
        }
        if (retry.isNegative() || idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException("retry must not be negative and idle expiry must be positive");
        }
        if (batchSize < 1 || maxCommandsPerPost < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("batch size, commands per post and sessions per user must be positive");
        }
    }

    /** @return what the engine's resumable sessions need of these settings */
    public ResumableSettings resumable() {
        return new ResumableSettings(maxStreamsPerUser, idleExpiry, maxWait, batchSize, maxSessionsPerUser);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults */
    public static SsePollingSettings defaults() {
        return builder().build();
    }

    /** Builds {@link SsePollingSettings}. */
    public static final class Builder {
        private int maxStreamsPerUser = 10;
        private Duration idleExpiry = Duration.ofMinutes(10);
        private Duration maxWait = Duration.ofSeconds(30);
        private Duration defaultWait = Duration.ofSeconds(25);
        private Duration retry = Duration.ofSeconds(2);
        private int batchSize = 200;
        private int maxCommandsPerPost = 100;
        private int maxSessionsPerUser = 50;

        private Builder() {
        }

        /**
         * @param value open SSE streams per user on one node (default 10)
         * @return this builder
         */
        public Builder maxStreamsPerUser(int value) {
            this.maxStreamsPerUser = value;
            return this;
        }

        /**
         * @param value how long an unused session is kept (default 10 minutes)
         * @return this builder
         */
        public Builder idleExpiry(Duration value) {
            this.idleExpiry = value;
            return this;
        }

        /**
         * @param value the longest long-poll wait (default 30 s)
         * @return this builder
         */
        public Builder maxWait(Duration value) {
            this.maxWait = value;
            return this;
        }

        /**
         * @param value the wait when a poll names none (default 25 s)
         * @return this builder
         */
        public Builder defaultWait(Duration value) {
            this.defaultWait = value;
            return this;
        }

        /**
         * @param value the SSE reconnect hint (default 2 s)
         * @return this builder
         */
        public Builder retry(Duration value) {
            this.retry = value;
            return this;
        }

        /**
         * @param value most events per poll response and store read (default 200)
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * @param value most commands per POST (default 100)
         * @return this builder
         */
        public Builder maxCommandsPerPost(int value) {
            this.maxCommandsPerPost = value;
            return this;
        }

        /**
         * @param value SSE and long-poll sessions per user, all nodes together (default 50)
         * @return this builder
         */
        public Builder maxSessionsPerUser(int value) {
            this.maxSessionsPerUser = value;
            return this;
        }

        /** @return the settings */
        public SsePollingSettings build() {
            return new SsePollingSettings(maxStreamsPerUser, idleExpiry, maxWait, defaultWait, retry, batchSize,
                    maxCommandsPerPost, maxSessionsPerUser);
        }
    }
}
