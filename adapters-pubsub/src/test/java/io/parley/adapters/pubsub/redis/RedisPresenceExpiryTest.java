package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;
import io.parley.testservices.EmbeddedRedisServer;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.parley.domain.PresenceStatus.OFFLINE;
import static io.parley.domain.PresenceStatus.ONLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence entries expire when their node stops refreshing them, and exactly one node reports it. */
class RedisPresenceExpiryTest {
    private static final Duration TTL = Duration.ofMillis(1500);
    private static final Duration SWEEP = TTL.dividedBy(5);

    private static final Clock CLOCK = Clock.systemUTC();

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private final RedisNodes nodes = RedisNodes.shared();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void the_users_of_a_node_that_stops_refreshing_go_offline_within_ttl_and_one_node_reports_it() {
        RedisPubSub crashing = nodes.node(TTL);
        RedisPubSub survivor = nodes.node(TTL);
        RedisPubSub other = nodes.node(TTL);
        Recorder<Presence> survivorReports = new Recorder<>();
        Recorder<Presence> otherReports = new Recorder<>();
        survivor.presence().onExpiry(survivorReports);
        other.presence().onExpiry(otherReports);
        UserId alice = user("alice");
        UserId bob = user("bob");
        crashing.presence().sessionOpened(alice, session("a1"), CLOCK.instant());
        survivor.presence().sessionOpened(bob, session("b1"), CLOCK.instant());

        long crashedAt = System.nanoTime();
        crashing.stopPresenceRefresh();

        Presence offline = awaitEither(survivorReports, otherReports, alice);
        Duration took = Duration.ofNanos(System.nanoTime() - crashedAt);
        assertEquals(OFFLINE, offline.status());
        assertTrue(took.compareTo(TTL.plus(SWEEP).plusMillis(500)) < 0, "offline after " + took);
        assertEquals(OFFLINE, statusOf(survivor.presence(), alice));
        // The live node refreshed bob's entry meanwhile: he outlived alice's expiry.
        assertEquals(ONLINE, statusOf(other.presence(), bob));
        // Both nodes sweep; the atomic removal lets only one of them report alice, however often they sweep.
        awaitSweeps(survivor, other);
        long reports = reportsOf(survivorReports, alice) + reportsOf(otherReports, alice);
        assertEquals(1, reports);
    }

    @Test
    void a_user_with_a_session_on_a_live_node_stays_online_when_another_node_of_theirs_dies() {
        RedisPubSub crashing = nodes.node(TTL);
        RedisPubSub survivor = nodes.node(TTL);
        Recorder<Presence> reports = new Recorder<>();
        survivor.presence().onExpiry(reports);
        UserId carol = user("carol");
        UserId dave = user("dave");
        crashing.presence().sessionOpened(carol, session("phone"), CLOCK.instant());
        survivor.presence().sessionOpened(carol, session("laptop"), CLOCK.instant());
        crashing.presence().sessionOpened(dave, session("d1"), CLOCK.instant());

        crashing.stopPresenceRefresh();

        // dave's expiry proves carol's phone entry expired too; carol stays online through her laptop.
        assertEquals(OFFLINE, reports.await(p -> p.user().equals(dave), TTL.multipliedBy(3)).status());
        assertEquals(0, reportsOf(reports, carol));
        assertEquals(ONLINE, statusOf(survivor.presence(), carol));
    }

    @Test
    void after_redis_lost_its_data_a_node_restores_its_sessions_and_reports_them() {
        try (EmbeddedRedisServer redis = TestRedis.startPrivateServer(); RedisNodes own = RedisNodes.on(redis.uri())) {
            RedisPubSub node = own.node(TTL);
            Recorder<Presence> reports = new Recorder<>();
            node.presence().onExpiry(reports);
            UserId erin = user("erin");
            node.presence().sessionOpened(erin, session("e1"), CLOCK.instant());
            node.presence().statusSet(erin, session("e1"), PresenceStatus.AWAY, CLOCK.instant());

            redis.stop();
            // Changes while Redis is down answer from the node's own view, announcing nothing.
            assertEquals(java.util.Optional.empty(),
                    node.presence().sessionOpened(user("frank"), session("f1"), CLOCK.instant()));
            redis.restart();

            assertEquals(PresenceStatus.AWAY, reports.await(p -> p.user().equals(erin), Duration.ofSeconds(10)).status());
            assertEquals(ONLINE, reports.await(p -> p.user().equals(user("frank")), Duration.ofSeconds(10)).status());
            assertEquals(PresenceStatus.AWAY, statusOf(node.presence(), erin));
        }
    }

    private Presence awaitEither(Recorder<Presence> a, Recorder<Presence> b, UserId user) {
        long deadline = System.nanoTime() + TTL.multipliedBy(4).toNanos();
        while (System.nanoTime() < deadline) {
            for (Recorder<Presence> recorder : List.of(a, b)) {
                for (Presence p : recorder.received()) {
                    if (p.user().equals(user)) {
                        return p;
                    }
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no node reported " + user);
    }

    private static void awaitSweeps(RedisPubSub... nodes) {
        for (RedisPubSub node : nodes) {
            RedisPresenceRegistry registry = (RedisPresenceRegistry) node.presence();
            long target = registry.sweeps() + 2;
            long deadline = System.nanoTime() + SWEEP.multipliedBy(20).toNanos();
            while (registry.sweeps() < target) {
                assertTrue(System.nanoTime() < deadline, "sweeps stopped");
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static long reportsOf(Recorder<Presence> recorder, UserId user) {
        return recorder.received().stream().filter(p -> p.user().equals(user)).count();
    }

    private static PresenceStatus statusOf(PresenceRegistry registry, UserId user) {
        return registry.presenceOf(List.of(user)).getFirst().status();
    }

    private UserId user(String name) {
        return UserId.of(name + "." + scope);
    }

    private String session(String name) {
        return name + "." + scope;
    }
}
