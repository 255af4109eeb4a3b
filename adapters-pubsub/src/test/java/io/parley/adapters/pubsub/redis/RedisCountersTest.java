package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.UsageCounters;
import io.parley.testservices.EmbeddedRedisServer;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-user limits' counts in Redis: shared by every node, freed when a node dies, open when Redis is down. */
class RedisCountersTest {
    private static final Duration LEASE = Duration.ofMillis(1500);

    private final String user = "u-" + UUID.randomUUID();
    private final RedisNodes nodes = RedisNodes.shared();

    @AfterEach
    void close() {
        nodes.close();
    }

    private RedisPubSub node() {
        return nodes.node(RedisPubSub.builder().limitLease(LEASE));
    }

    @Test
    void two_nodes_take_from_one_bucket() {
        UsageCounters a = node().counters();
        UsageCounters b = node().counters();
        assertTrue(a.shared() && b.shared());
        String key = "rooms:" + user;
        int taken = 0;
        for (int i = 0; i < 6; i++) {
            taken += (i % 2 == 0 ? a : b).take(key, 1, 4, 4 / 3600.0);
        }
        assertEquals(4, taken, "four rooms in all, whichever node the user asked");
        assertEquals(0, a.take(key, 1, 4, 4 / 3600.0));
        assertEquals(0, b.take(key, 1, 4, 4 / 3600.0));
        assertEquals(4, a.take("rooms:other-" + user, 10, 4, 4 / 3600.0), "another key has its own, up to its size");
    }

    @Test
    void a_bucket_fills_at_its_rate() throws InterruptedException {
        UsageCounters a = node().counters();
        String key = "commands:" + user;
        assertEquals(20, a.take(key, 30, 20, 20));
        assertEquals(0, a.take(key, 30, 20, 20));
        Thread.sleep(500);
        int refilled = a.take(key, 30, 20, 20);
        assertTrue(refilled >= 9 && refilled <= 12, "about ten in half a second at 20 a second: " + refilled);
    }

    @Test
    void places_are_counted_across_nodes_and_a_release_frees_one() {
        UsageCounters a = node().counters();
        UsageCounters b = node().counters();
        String key = "ws:" + user;
        assertTrue(a.hold(key, "s1", 2));
        assertTrue(b.hold(key, "s2", 2));
        assertTrue(a.hold(key, "s1", 2), "holding again what is held");
        assertFalse(a.hold(key, "s3", 2), "two in all");
        assertFalse(b.hold(key, "s3", 2));
        assertEquals(2, a.held(key));
        b.release(key, "s2");
        awaitHeld(a, key, 1);
        assertTrue(a.hold(key, "s3", 2));
    }

    @Test
    void a_live_node_renews_its_places_and_a_dead_one_frees_them_within_a_lease() throws InterruptedException {
        RedisPubSub dying = node();
        UsageCounters survivor = node().counters();
        String key = "ws:" + user;
        assertTrue(dying.counters().hold(key, "on-dying", 2));
        assertTrue(survivor.hold(key, "on-survivor", 2));
        Thread.sleep(LEASE.multipliedBy(2).toMillis());
        assertEquals(2, survivor.held(key), "both renewed past two leases");
        dying.close(); // stops renewing, releases nothing: a crash
        long closedAt = System.nanoTime();
        awaitHeld(survivor, key, 1);
        Duration took = Duration.ofNanos(System.nanoTime() - closedAt);
        assertTrue(took.compareTo(LEASE.plusMillis(700)) < 0, "freed within a lease: " + took);
        assertTrue(survivor.hold(key, "new", 2));
    }

    @Test
    void while_redis_is_down_the_limits_let_users_through_and_count_it() {
        try (EmbeddedRedisServer redis = TestRedis.startPrivateServer(); RedisNodes own = RedisNodes.on(redis.uri())) {
            RedisPubSub node = own.node(RedisPubSub.builder().limitLease(LEASE));
            UsageCounters counters = node.counters();
            assertEquals(1, counters.take("rooms:" + user, 1, 1, 1 / 3600.0));
            assertEquals(0, counters.take("rooms:" + user, 1, 1, 1 / 3600.0));
            redis.stop();
            assertEquals(1, counters.take("rooms:" + user, 1, 1, 1 / 3600.0), "fails open");
            assertTrue(counters.hold("ws:" + user, "s1", 1));
            assertTrue(node.limitsLetThrough() >= 2, "counted: " + node.limitsLetThrough());
            redis.restart();
        }
    }

    private static void awaitHeld(UsageCounters counters, String key, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (counters.held(key) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertEquals(expected, counters.held(key));
    }
}
