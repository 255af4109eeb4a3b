package io.parley.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How sessions behave. Build with {@link #builder()}; every value has a default fit for production.
 *
 * @param queueCapacity   outbound frames a session may hold before it counts as a slow consumer
 * @param replayLimit     most events replayed for one {@code subscribe}
 * @param heartbeat       server ping interval; a peer silent for two intervals is closed
 * @param closeTimeout    how long a close may wait for a slow peer before the connection is dropped
 * @param commandsPerSecond sustained commands a session may send per second
 * @param commandBurst    commands a session may send at once
 * @param gapGrace        how long a room feed waits for an out-of-order event before reading the gap
 *                        from the store
 * @param maxConnectionsPerUser live connections (WebSocket) one user may hold: on all nodes together when the
 *                              core's {@code UsageCounters} are shared (Redis), else on each node
 * @param maxSubscriptionsPerSession rooms one session may subscribe to one by one (the inbox follows every
 *                        room of the user and is bounded by them, not by this)
 * @param commandsPerSecondPerUser sustained commands one user may send per second over all their sessions
 *                        on one node
 * @param commandBurstPerUser commands one user may send at once over all their sessions on one node
 */
public record SessionSettings(int queueCapacity,
                              int replayLimit,
                              Duration heartbeat,
                              Duration closeTimeout,
                              int commandsPerSecond,
                              int commandBurst,
                              Duration gapGrace,
                              int maxConnectionsPerUser,
                              int maxSubscriptionsPerSession,
                              int commandsPerSecondPerUser,
                              int commandBurstPerUser) {
    /** Validates the settings. */
    public SessionSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(gapGrace, "gapGrace");
        if (queueCapacity < 16) {
            throw new IllegalArgumentException("queue capacity must be at least 16");
        }
        if (replayLimit < 1 || replayLimit > queueCapacity / 2) {
            throw new IllegalArgumentException("replay limit must be between 1 and half the queue capacity");
        }
        if (heartbeat.toMillis() < 100) {
            throw new IllegalArgumentException("heartbeat must be at least 100 ms");
        }
        if (commandsPerSecond < 1 || commandBurst < 1 || commandsPerSecondPerUser < 1 || commandBurstPerUser < 1) {
            throw new IllegalArgumentException("command rates and bursts must be positive");
        }
        if (maxConnectionsPerUser < 1) {
            throw new IllegalArgumentException("max connections per user must be at least 1");
        }
        if (maxSubscriptionsPerSession < 1) {
            throw new IllegalArgumentException("max subscriptions per session must be at least 1");
        }
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults */
    public static SessionSettings defaults() {
        return builder().build();
    }

    /** Builds {@link SessionSettings}. */
    public static final class Builder {
        private int queueCapacity = 1000;
        private int replayLimit = 500;
        private Duration heartbeat = Duration.ofSeconds(25);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int commandsPerSecond = 20;
        private int commandBurst = 100;
        private Duration gapGrace = Duration.ofMillis(50);
        private int maxConnectionsPerUser = 20;
        private int maxSubscriptionsPerSession = 1000;
        private int commandsPerSecondPerUser = 60;
        private int commandBurstPerUser = 300;

        private Builder() {
        }

        /**
         * @param value outbound queue capacity (default 1000)
         * @return this builder
         */
        public Builder queueCapacity(int value) {
            this.queueCapacity = value;
            return this;
        }

        /**
         * @param value replay limit per subscribe (default 500)
         * @return this builder
         */
        public Builder replayLimit(int value) {
            this.replayLimit = value;
            return this;
        }

        /**
         * @param value heartbeat interval (default 25 s, below the usual 60 s proxy read timeout)
         * @return this builder
         */
        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        /**
         * @param value close timeout (default 5 s)
         * @return this builder
         */
        public Builder closeTimeout(Duration value) {
            this.closeTimeout = value;
            return this;
        }

        /**
         * @param perSecond sustained commands per second (default 20)
         * @param burst     burst size (default 100)
         * @return this builder
         */
        public Builder commandRate(int perSecond, int burst) {
            this.commandsPerSecond = perSecond;
            this.commandBurst = burst;
            return this;
        }

        /**
         * @param value how long to wait for an out-of-order event (default 50 ms)
         * @return this builder
         */
        public Builder gapGrace(Duration value) {
            this.gapGrace = value;
            return this;
        }

        /**
         * @param value live connections one user may hold on one node (default 20: tabs and devices, not
         *              thousands of sockets from one token)
         * @return this builder
         */
        public Builder maxConnectionsPerUser(int value) {
            this.maxConnectionsPerUser = value;
            return this;
        }

        /**
         * @param value rooms one session may subscribe to one by one (default 1,000); one more is refused
         *              {@code too_large}
         * @return this builder
         */
        public Builder maxSubscriptionsPerSession(int value) {
            this.maxSubscriptionsPerSession = value;
            return this;
        }

        /**
         * @param perSecond sustained commands per second of one user over all their sessions on one node
         *                  (default 60: three sessions at the full session rate)
         * @param burst     burst size over all their sessions (default 300)
         * @return this builder
         */
        public Builder userCommandRate(int perSecond, int burst) {
            this.commandsPerSecondPerUser = perSecond;
            this.commandBurstPerUser = burst;
            return this;
        }

        /** @return the settings */
        public SessionSettings build() {
            return new SessionSettings(queueCapacity, replayLimit, heartbeat, closeTimeout, commandsPerSecond,
                    commandBurst, gapGrace, maxConnectionsPerUser, maxSubscriptionsPerSession,
                    commandsPerSecondPerUser, commandBurstPerUser);
        }
    }
}
