/**
 * Fan-out and presence for several nodes, on Redis or a Redis Cluster (lettuce). The entry point is
 * {@link io.parley.adapters.pubsub.redis.RedisPubSub}: one per node, giving its
 * {@link io.parley.application.port.out.Fanout}, its {@link io.parley.application.port.out.PresenceRegistry}
 * and a broker round-trip check for readiness.
 */
package io.parley.adapters.pubsub.redis;
