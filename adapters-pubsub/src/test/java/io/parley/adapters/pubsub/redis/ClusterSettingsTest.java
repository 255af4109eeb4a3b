package io.parley.adapters.pubsub.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the builder reads cluster mode from its settings, checked before anything connects. */
class ClusterSettingsTest {
    @Test
    void a_uri_naming_several_hosts_is_a_cluster_seed_list_and_one_host_is_not() {
        assertTrue(ConnectionSettings.namesSeveralHosts("redis://10.0.0.1:7000,10.0.0.2:7000"));
        assertTrue(ConnectionSettings.namesSeveralHosts("rediss://:secret@a:6379,b:6379,c:6379"));
        assertFalse(ConnectionSettings.namesSeveralHosts("redis://redis:6379/0"));
        assertFalse(ConnectionSettings.namesSeveralHosts("redis-sentinel://s1:26379,s2:26379/0#mymaster"));
    }

    @Test
    void several_hosts_without_cluster_mode_are_refused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RedisPubSub.builder().uri("redis://127.0.0.1:1,127.0.0.1:2").cluster(false).build());
        assertTrue(refused.getMessage().contains("only a Redis Cluster"), refused.getMessage());
    }

    @Test
    void a_cluster_through_sentinel_is_refused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RedisPubSub.builder().uri("redis-sentinel://127.0.0.1:1/0#m").cluster(true).build());
        assertEquals("a Redis Cluster is not reached through Sentinel: give the URI of one or more cluster nodes, "
                + "redis://host1:6379,host2:6379", refused.getMessage());
    }
}
