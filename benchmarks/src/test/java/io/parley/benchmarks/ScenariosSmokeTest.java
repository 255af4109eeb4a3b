package io.parley.benchmarks;

import io.parley.bootstrap.ParleyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short run of the scenarios against both servers, in this JVM: the load generator sets them up, every
 * delivery is accounted for, and a server that drops deliveries fails the run.
 */
class ScenariosSmokeTest {
    private static final String SECRET = "smoke-secret-smoke-secret-smoke-secret-0123";
    private static final Scenarios SCENARIOS = new Scenarios(new Scenarios.Settings(1, 2, 3000, 1));
    private static BaselineServer baseline;
    private static BaselineServer lossy;
    private static ParleyServer parley;

    @BeforeAll
    static void start() {
        baseline = BaselineServer.start("127.0.0.1", 0, 0);
        lossy = BaselineServer.start("127.0.0.1", 0, 97);
        parley = ParleyServer.start(Map.of(
                "server.port", "0", "server.host", "127.0.0.1", "parley.dev", "false",
                "parley.auth.hs256-secret", SECRET, "parley.store.kind", "memory", "parley.fanout.kind", "memory",
                "parley.sessions.commands-per-second", "100000", "parley.sessions.command-burst", "100000"));
    }

    @AfterAll
    static void stop() {
        baseline.stop();
        lossy.stop();
        parley.stop();
    }

    private static Target target(String name, int port) {
        return new Target(name, "127.0.0.1", port, SECRET, OptionalLong.of(ProcessHandle.current().pid()));
    }

    @Test
    void the_baseline_delivers_every_message_of_a_fanout_to_every_member_once() {
        Scenarios.Window w = SCENARIOS.fanout(target("baseline", baseline.port()), WireLoop.Kind.WEBSOCKET, 2, 20, 2, 2_000);
        assertClean(w, 2_000 * 2);
        assertTrue(w.ackLatency().count() > 0, "sends were acked");
        assertTrue(w.serverCpuSeconds().isPresent());
    }

    @Test
    void a_warm_up_goes_on_while_the_servers_compilers_are_busy_but_no_longer_than_its_limit() {
        Scenarios scenarios = new Scenarios(new Scenarios.Settings(1, 1, 3000, 1, 4));
        Scenarios.Window w = scenarios.fanout(target("baseline", baseline.port()), WireLoop.Kind.WEBSOCKET, 1, 10, 1, 1_000);
        assertClean(w, 1_000);
        assertTrue(w.compilerCpuSeconds().isPresent(), "this JVM's compiler threads were found");
        assertTrue(w.warmedSeconds() >= 0.9, "about the fixed warm-up at least: " + w.warmedSeconds());
        // the last step may start just before the limit: a step and its drain past it at most
        assertTrue(w.warmedSeconds() < 4 + Scenarios.SETTLE_STEP_SECONDS + 3 + 1, "bounded: " + w.warmedSeconds());
    }

    @Test
    void the_baseline_delivers_every_message_over_sse_and_long_poll() {
        assertClean(SCENARIOS.fanout(target("baseline", baseline.port()), WireLoop.Kind.SSE, 1, 10, 1, 500), 500 * 2);
        assertClean(SCENARIOS.fanout(target("baseline", baseline.port()), WireLoop.Kind.POLL, 1, 10, 1, 500), 500 * 2);
    }

    @Test
    void parley_delivers_every_message_of_a_fanout_over_websocket() {
        assertClean(SCENARIOS.fanout(target("parley", parley.port()), WireLoop.Kind.WEBSOCKET, 1, 20, 2, 2_000), 2_000 * 2);
    }

    @Test
    void parley_delivers_every_message_over_sse_and_long_poll() {
        assertClean(SCENARIOS.fanout(target("parley", parley.port()), WireLoop.Kind.SSE, 1, 10, 1, 500), 500 * 2);
        assertClean(SCENARIOS.fanout(target("parley", parley.port()), WireLoop.Kind.POLL, 1, 10, 1, 500), 500 * 2);
    }

    @Test
    void two_servers_measured_in_turns_each_get_every_delivery_of_their_own_windows() {
        Scenarios.Pair pair = SCENARIOS.fanoutInTurns(target("baseline", baseline.port()), target("parley", parley.port()),
                WireLoop.Kind.WEBSOCKET, 1, 20, 2, 2_000, 4);
        // 2 s measured per server in 4 windows of 0.5 s: 4 × 50 messages to 20 members
        assertClean(pair.first(), 2_000 * 2);
        assertClean(pair.second(), 2_000 * 2);
        assertTrue(pair.second().serverCpuSeconds().isPresent());
        assertTrue(pair.second().seconds() > 1.5, "four windows of 0.5 s added up: " + pair.second().seconds());
    }

    @Test
    void a_lossy_server_measured_in_turns_fails_its_own_row_only() {
        BaselineServer ownLossy = BaselineServer.start("127.0.0.1", 0, 97); // its drop count starts at 0
        try {
            Scenarios.Pair pair = SCENARIOS.fanoutInTurns(target("baseline", baseline.port()),
                    target("lossy", ownLossy.port()), WireLoop.Kind.WEBSOCKET, 1, 20, 1, 2_000, 2);
            assertClean(pair.first(), 2_000 * 2);
            assertFalse(pair.second().clean());
            // 100 messages of warm-up and 2 windows of 100, to 20 receivers: 6,000 deliveries, every 97th skipped
            assertEquals(6_000 / 97, pair.second().lost(), "every drop of its warm-up and of both its windows counted");
        } finally {
            ownLossy.stop();
        }
    }

    @Test
    void a_server_that_drops_one_delivery_in_97_fails_the_run_and_every_drop_is_counted() {
        Scenarios.Window w = SCENARIOS.fanout(target("lossy", lossy.port()), WireLoop.Kind.WEBSOCKET, 1, 20, 1, 2_000);
        assertFalse(w.clean());
        assertTrue(w.verdict().startsWith("FAILED"), w.verdict());
        // 100 messages of warm-up and 200 measured, to 20 receivers: 6,000 deliveries, of which the server
        // (used by this test only) skipped every 97th; a row is charged with its warm-up's losses too
        assertEquals(6_000 / 97, w.lost());
        assertEquals(0, w.duplicates());
        assertTrue(w.delivered() < 4_000 && w.delivered() >= 4_000 - 6_000 / 97, "delivered " + w.delivered());
    }

    @Test
    void connections_are_counted_open_after_the_hold_and_the_same_users_reconnect() {
        // no pid: a server elsewhere; memory is then not read (the runner reads it of the servers it starts)
        Target elsewhere = new Target("parley", "127.0.0.1", parley.port(), SECRET, OptionalLong.empty());
        Scenarios.Connections c = SCENARIOS.connections(elsewhere, 200, 4, 50, 0);
        assertEquals(200, c.openAtEnd());
        assertTrue(c.connectsPerSecond() > 0);
        assertTrue(c.heapKibPerConnection().isEmpty());
        assertTrue(c.first().serverCpuMicros().isEmpty());
        // the reconnect storm sets up every client again (a failed set-up would have thrown)
        assertTrue(c.reconnect().perSecond() > 0);
    }

    private static void assertClean(Scenarios.Window w, long expected) {
        assertTrue(w.clean(), w.verdict());
        assertEquals(expected, w.delivered());
        assertTrue(w.latency().count() == expected && w.latency().p50() >= 0);
    }
}
