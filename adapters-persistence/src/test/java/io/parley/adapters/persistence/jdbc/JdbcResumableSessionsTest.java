package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.application.port.out.ResumableSessions;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.testkit.ResumableSessionsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL session records keep the contract, and two stores on one database (two nodes) share them:
 * an update that loses a race to the other node is applied again to that node's record.
 */
class JdbcResumableSessionsTest extends ResumableSessionsContract {
    /** Before the contract's times, so that this class's removals find none of its rows. */
    private static final Instant T0 = Instant.parse("2020-06-01T08:00:00Z");
    /** After every removal's time: records of the tests that are not about expiry never expire. */
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private static TwoNodes nodes;
    private static JdbcStorage node;
    private static JdbcStorage otherNode;

    private final String scope = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void openTwoNodes() {
        nodes = TwoNodes.open();
        node = nodes.node();
        otherNode = nodes.otherNode();
    }

    @AfterAll
    static void closeTwoNodes() {
        nodes.close();
    }

    @Override
    protected ResumableSessions newSessions() {
        return node.sessions();
    }

    @Test
    void an_update_that_loses_the_race_to_another_node_is_applied_again_to_that_nodes_record() {
        String id = id("raced");
        node.sessions().create(ResumableSession.open(id, user(), T0, FAR));
        AtomicInteger calls = new AtomicInteger();

        ResumableSession result = node.sessions().update(id, current -> {
            if (calls.incrementAndGet() == 1) {
                // Between this node's read and its write, the other node changes the record.
                otherNode.sessions().update(id, other -> withRoom(other, "from-the-other-node"));
            }
            return withRoom(current, "from-this-node");
        }).orElseThrow();

        assertEquals(2, calls.get(), "the change ran again on the newer record");
        assertEquals(Set.of(room("from-the-other-node"), room("from-this-node")), result.subscriptions().keySet());
        assertEquals(2, result.revision());
        assertEquals(Optional.of(result), otherNode.sessions().find(id));
    }

    @Test
    void an_update_that_keeps_losing_races_takes_the_row_lock_and_keeps_every_change() {
        String id = id("contended");
        node.sessions().create(ResumableSession.open(id, user(), T0, FAR));
        AtomicInteger calls = new AtomicInteger();

        ResumableSession result = node.sessions().update(id, current -> {
            int call = calls.incrementAndGet();
            if (call <= JdbcResumableSessions.OPTIMISTIC_ATTEMPTS) {
                otherNode.sessions().update(id, other -> withRoom(other, "other-" + call));
            }
            return withRoom(current, "mine");
        }).orElseThrow();

        int attempts = JdbcResumableSessions.OPTIMISTIC_ATTEMPTS;
        assertEquals(attempts + 1, calls.get(), "every optimistic attempt lost, the locked one won");
        assertEquals(attempts + 1, result.subscriptions().size());
        assertTrue(result.subscriptions().containsKey(room("mine")));
        assertTrue(result.subscriptions().containsKey(room("other-" + attempts)));
        assertEquals(attempts + 1, result.revision());
        assertEquals(Optional.of(result), otherNode.sessions().find(id));
    }

    @Test
    void concurrent_updates_from_two_nodes_keep_every_change() {
        String id = id("two-nodes");
        node.sessions().create(ResumableSession.open(id, user(), T0, FAR));
        int perNode = 60;
        Thread[] writers = new Thread[2];
        RuntimeException[] failures = new RuntimeException[2];
        for (int w = 0; w < 2; w++) {
            JdbcStorage storage = w == 0 ? node : otherNode;
            int writer = w;
            writers[w] = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perNode; i++) {
                        String name = "n" + writer + "-" + i;
                        storage.sessions().update(id, s -> withRoom(s, name));
                    }
                } catch (RuntimeException e) {
                    failures[writer] = e;
                }
            });
        }
        for (Thread writer : writers) {
            join(writer);
        }

        assertNull(failures[0]);
        assertNull(failures[1]);
        ResumableSession result = node.sessions().find(id).orElseThrow();
        assertEquals(2 * perNode, result.subscriptions().size());
        assertEquals(2 * perNode, result.revision());
    }

    @Test
    void expired_idle_sessions_are_removed_for_every_node_while_refreshed_and_live_ones_stay() {
        Instant now = T0.plusSeconds(3600);
        node.sessions().create(ResumableSession.open(id("idle"), user(), T0, now));
        node.sessions().create(ResumableSession.open(id("refreshed"), user(), T0, now.minusSeconds(1)));
        node.sessions().create(ResumableSession.open(id("live"), user(), T0, now.minusSeconds(1)));
        otherNode.sessions().update(id("refreshed"), s -> s.withLiveness(s.liveOn(), now, now.plusSeconds(600)));
        otherNode.sessions().update(id("live"), s -> s.withLiveness(Optional.of("node-2"), T0, s.expiresAt()));

        assertEquals(1, node.sessions().removeExpired(now), "expiring exactly now counts as expired");

        assertEquals(Optional.empty(), otherNode.sessions().find(id("idle")));
        assertTrue(otherNode.sessions().find(id("refreshed")).isPresent());
        assertTrue(otherNode.sessions().find(id("live")).isPresent());

        otherNode.sessions().update(id("live"), s -> s.withLiveness(Optional.empty(), s.seenUntil(), s.expiresAt()));

        assertEquals(1, node.sessions().removeExpired(now), "once not live, it goes");
        assertEquals(Optional.empty(), otherNode.sessions().find(id("live")));
        assertEquals(Optional.empty(), node.sessions().update(id("live"), s -> withRoom(s, "late")));
    }

    @Test
    void times_are_kept_to_the_microsecond_and_an_update_returns_what_a_later_read_finds() {
        Instant precise = T0.plusNanos(123_456_789);
        node.sessions().create(ResumableSession.open(id("precise"), user(), precise, precise.plusSeconds(60)));

        ResumableSession updated = node.sessions().update(id("precise"),
                s -> s.withLiveness(Optional.of("node-1"), precise.plusNanos(1), precise.plusSeconds(61))).orElseThrow();

        assertEquals(T0.plusNanos(123_456_000), updated.seenUntil());
        assertEquals(Optional.of(updated), otherNode.sessions().find(id("precise")));
    }

    @Test
    void a_session_id_too_long_for_the_column_is_invalid_and_stores_nothing() {
        String id = "x".repeat(129);

        ParleyException e = assertThrows(ParleyException.class,
                () -> node.sessions().create(ResumableSession.open(id, user(), T0, FAR)));

        assertEquals(ErrorCode.INVALID, e.code());
        assertEquals(Optional.empty(), node.sessions().find(id));
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private ResumableSession withRoom(ResumableSession session, String name) {
        Map<RoomId, Subscription> subscriptions = new HashMap<>(session.subscriptions());
        subscriptions.put(room(name), Subscription.from(session.revision() + 1, 0));
        return session.withSubscriptions(session.inbox(), subscriptions, session.excluded());
    }

    private String id(String name) {
        return name + "." + scope;
    }

    private UserId user() {
        return UserId.of("alice." + scope);
    }

    private RoomId room(String name) {
        return RoomId.of(name + "." + scope);
    }
}
