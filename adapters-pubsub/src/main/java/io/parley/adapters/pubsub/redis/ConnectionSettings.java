package io.parley.adapters.pubsub.redis;

import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node connects to Redis.
 *
 * @param uri             a lettuce URI: one server or Sentinel, or the seed nodes of a cluster
 * @param cluster         whether Redis is a Redis Cluster ({@code RedisClusterClient}) rather than one endpoint
 * @param sharded         whether channels are sharded ({@code SPUBLISH}/{@code SSUBSCRIBE}) rather than classic
 * @param timeout         command and connect timeout
 * @param topologyRefresh how often a cluster client re-reads the cluster's topology (besides adaptive refreshes)
 */
record ConnectionSettings(String uri, boolean cluster, boolean sharded, Duration timeout, Duration topologyRefresh) {
    ConnectionSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(topologyRefresh, "topologyRefresh");
        if (cluster && !RedisURI.create(uri).getSentinels().isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster is not reached through Sentinel: give the URI of one "
                    + "or more cluster nodes, redis://host1:6379,host2:6379");
        }
        if (!cluster && namesSeveralHosts(uri)) {
            throw new IllegalArgumentException("the URI names several hosts, which only a Redis Cluster takes: leave "
                    + "cluster unset or true, or give one host");
        }
    }

    /**
     * @param uri a lettuce URI
     * @return whether it names several hosts, {@code redis://h1:6379,h2:6379}: the seed nodes of a cluster
     */
    static boolean namesSeveralHosts(String uri) {
        String host = RedisURI.create(uri).getHost();
        return host != null && host.contains(",");
    }
}
