package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.domain.User;
import io.parley.testkit.MovingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat over many sessions: each is pinged once per interval, and sessions opened at the same moment
 * (a reconnect storm) are pinged spread over the interval, not all in the same tick.
 */
class HeartbeatTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(25);
    private static final int SESSIONS = 100;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-07T12:00:00Z"));
    private ChatCore core;
    private SessionHub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.shutdown(Duration.ofSeconds(1));
        }
        if (core != null) {
            core.close();
        }
    }

    @Test
    void sessions_opened_together_are_pinged_spread_over_the_interval_and_then_once_every_interval() {
        InMemoryStore store = InMemoryStore.create();
        core = ChatCore.builder().rooms(store.rooms()).log(store.log()).fanout(InMemoryFanout.create())
                .presence(InMemoryPresenceRegistry.create()).clock(clock).build();
        hub = SessionHub.builder().core(core).encoder(ServerEvent::toString)
                .settings(SessionSettings.builder().heartbeat(HEARTBEAT).build()).build();
        List<ChatSession> sessions = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            sessions.add(new TestNode(core, hub).open(User.of("user" + i), sink));
        }
        long opened = clock.millis();
        long[] last = sessions.stream().mapToLong(ChatSession::lastPingMillis).toArray();
        List<List<Long>> pingedAt = new ArrayList<>();
        sessions.forEach(session -> pingedAt.add(new ArrayList<>()));
        int interval = (int) HEARTBEAT.toSeconds();
        int[] pingedInTick = new int[2 * interval + 1];

        for (int second = 1; second <= 2 * interval; second++) {
            clock.set(Instant.ofEpochMilli(opened).plusSeconds(second));
            hub.tick(); // the hub's own tick may run too: a second tick at the same time pings no one again
            for (int i = 0; i < SESSIONS; i++) {
                long now = sessions.get(i).lastPingMillis();
                if (now != last[i]) {
                    pingedAt.get(i).add(now);
                    pingedInTick[second]++;
                    last[i] = now;
                }
            }
        }

        for (int i = 0; i < SESSIONS; i++) {
            List<Long> times = pingedAt.get(i);
            assertEquals(2, times.size(), "session " + i + " pinged at " + times);
            long first = times.get(0) - opened;
            assertTrue(first > 0 && first <= HEARTBEAT.toMillis(), "first ping within one interval: " + first);
            assertEquals(HEARTBEAT.toMillis(), times.get(1) - times.get(0), "then every interval");
            sinks.get(i).awaitPings(2);
        }
        for (int second = 1; second <= 2 * interval; second++) {
            // 100 sessions over 25 ticks: 4 a tick on average; all 100 in one tick without the spread
            assertTrue(pingedInTick[second] <= 6, "tick " + second + " pinged " + pingedInTick[second]);
        }
        assertEquals(2 * SESSIONS, Arrays.stream(pingedInTick).sum());
    }
}
