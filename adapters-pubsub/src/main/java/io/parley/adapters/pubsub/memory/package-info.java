/**
 * Single-node fan-out and presence, kept in this JVM: for tests, demos and deployments of one node. The
 * entry points are {@link io.parley.adapters.pubsub.memory.InMemoryFanout} and
 * {@link io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry}.
 */
package io.parley.adapters.pubsub.memory;
