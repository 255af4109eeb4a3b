package io.parley.adapters.pubsub.redis;

import java.util.function.Predicate;

/**
 * What a node's {@link Connections} report to it. Called on lettuce's event loop: implementations only hand over.
 */
interface BrokerEvents {
    /**
     * A message arrived on a subscribed channel (classic or sharded).
     *
     * @param channel the channel's name, as subscribed
     * @param message the payload
     */
    void message(String channel, String message);

    /** A subscription connection came back after it broke: its subscriptions may be gone, messages were missed. */
    void subscriptionsReconnected();

    /** A command connection came back after it broke. */
    void commandsReconnected();

    /**
     * Redis dropped a shard channel subscription this node did not cancel: on a Redis Cluster, the channel's slot
     * moved to another master.
     *
     * @param channel the shard channel
     */
    void shardChannelDropped(String channel);

    /**
     * A Redis Cluster's topology changed and some slots have another master now (a replica took over a failed
     * master, or a resharding): the shard subscriptions of those slots went with the old master.
     *
     * @param moved whether a shard channel's slot is one of them
     */
    void slotsMoved(Predicate<String> moved);
}
