package io.parley.adapters.persistence.jdbc;

import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.testkit.services.EmbeddedPostgresServer;
import io.parley.testkit.services.TestDatabase;
import io.parley.testkit.services.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store against a database that goes away: on a PostgreSQL server of this test's own, which it stops,
 * freezes and brings back. Test settings: statement timeout 2 s, connection timeout 1 s, so every call
 * must give up within 1 + 2 × 2 = 5 s.
 */
class JdbcOutageTest {
    /** The longest any call may take against a dead or hung database, with slack for a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(7);

    private static EmbeddedPostgresServer server;
    private static TestDatabase database;

    private JdbcStorage storage;
    private final User alice = User.of("alice-" + UUID.randomUUID());
    private RoomId room;
    private int clock;

    @BeforeAll
    static void startServer() {
        server = TestPostgres.startPrivateServer();
        database = server.createDatabase();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void openStore() {
        storage = JdbcStorage.create(Settings.of(database).build());
        room = RoomId.of("room-" + UUID.randomUUID());
        storage.rooms().create(new Room(room, "outage", Visibility.OPEN, alice.id(), at()), List.of(alice.id()));
    }

    @AfterEach
    void closeStore() {
        server.resume();
        server.restart();
        storage.close();
    }

    @Test
    void a_stopped_database_makes_every_call_fail_fast_with_unavailable_and_the_store_recovers_by_itself() {
        Message before = post("before the outage");

        server.stop();

        assertEveryCallUnavailable();
        assertFalse(storage.ping());

        server.restart();

        awaitPing();
        Message after = post("after the outage");
        assertEquals(before.seq() + 1, after.seq(), "no seq was lost or taken during the outage");
        assertEquals(List.of(after, before), storage.log().history(room, HistoryQuery.latest(10)).messages());
    }

    @Test
    void a_hung_database_makes_every_call_fail_within_the_timeouts_and_the_store_recovers_by_itself() {
        Message before = post("before the freeze");

        server.pause();

        assertEveryCallUnavailable();
        assertFalse(storage.ping());

        server.resume();

        awaitPing();
        Message after = post("after the freeze");
        assertEquals(List.of(before.seq(), after.seq()), storage.log().eventsAfter(room, 1, 10).stream()
                .map(RoomEvent::seq).toList(), "the store took each seq once, whatever the frozen appends did");
    }

    @Test
    void a_store_opened_while_the_database_is_down_fails_with_unavailable() {
        server.stop();

        long started = System.nanoTime();
        ParleyException e = assertThrows(ParleyException.class,
                () -> JdbcStorage.create(Settings.of(database).build()));

        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(BOUND) < 0);
    }

    @Test
    void data_written_before_a_server_restart_is_there_after_it() {
        Message message = post("durable");
        EventDraft.Read read = new EventDraft.Read(room, alice.id(), message.seq(), at());
        storage.log().append(read);

        server.stop();
        server.restart();

        awaitPing();
        assertEquals(Optional.of(message), storage.log().message(room, message.id()));
        assertEquals(read.toEvent(3), storage.log().eventsAfter(room, 2, 10).getFirst());
        assertEquals(0, storage.rooms().summariesOf(alice.id()).getFirst().unread());
    }

    private void assertEveryCallUnavailable() {
        assertUnavailable(() -> storage.log().append(postDraft("during the outage")));
        assertUnavailable(() -> storage.log().history(room, HistoryQuery.latest(10)));
        assertUnavailable(() -> storage.log().eventsAfter(room, 0, 10));
        assertUnavailable(() -> storage.rooms().isMember(room, alice.id()));
        assertUnavailable(() -> storage.rooms().summariesOf(alice.id()));
        assertUnavailable(() -> storage.rooms().create(
                new Room(RoomId.of("r-" + UUID.randomUUID()), "new", Visibility.OPEN, alice.id(), at()),
                List.of(alice.id())));
    }

    private static void assertUnavailable(Executable call) {
        long started = System.nanoTime();
        ParleyException e = assertThrows(ParleyException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e::toString);
        assertTrue(took.compareTo(BOUND) < 0, "gave up after " + took);
    }

    /** Polls the readiness check until the pool has reconnected; fails after 20 s. */
    private void awaitPing() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!storage.ping()) {
            assertTrue(System.nanoTime() < deadline, "the store did not reconnect within 20 s");
            Thread.onSpinWait();
        }
    }

    private Message post(String body) {
        if (storage.log().append(postDraft(body)) instanceof io.parley.application.port.out.AppendOutcome.Appended(
                RoomEvent.MessagePosted(Message message))) {
            return message;
        }
        throw new AssertionError("not appended");
    }

    private EventDraft.Post postDraft(String body) {
        return new EventDraft.Post(room, MessageId.of("m-" + UUID.randomUUID()), alice, body, Optional.empty(),
                Optional.empty(), at());
    }

    private Instant at() {
        return Instant.parse("2025-01-01T00:00:00Z").plusSeconds(clock++);
    }
}
