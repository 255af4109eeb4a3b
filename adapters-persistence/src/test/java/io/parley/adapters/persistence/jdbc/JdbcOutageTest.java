package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Room;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.testservices.EmbeddedPostgresServer;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
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
import java.util.stream.LongStream;

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

        assertEveryCallUnavailable(postDraft("during the outage"));
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
        EventDraft.Post frozen = new EventDraft.Post(room, MessageId.of("m-" + UUID.randomUUID()), alice,
                "during the freeze", Optional.empty(), Optional.of("retry-" + UUID.randomUUID()), at());

        server.pause();

        assertEveryCallUnavailable(frozen);
        assertFalse(storage.ping());

        server.resume();

        awaitPing();
        // The frozen server may still have committed the post it had received: a timeout cannot tell. A retry
        // with the same client id settles it either way, and the log stays gap-free.
        AppendOutcome retry = storage.log().append(frozen);
        assertTrue(retry instanceof AppendOutcome.Appended || retry instanceof AppendOutcome.AlreadyPosted,
                retry::toString);
        Message after = post("after the freeze");
        List<RoomEvent> events = storage.log().eventsAfter(room, 0, 100);
        assertEquals(LongStream.rangeClosed(1, after.seq()).boxed().toList(),
                events.stream().map(RoomEvent::seq).toList(), "every seq taken once");
        assertEquals(List.of(before.body(), frozen.body(), after.body()), events.stream()
                .filter(RoomEvent.MessagePosted.class::isInstance)
                .map(e -> ((RoomEvent.MessagePosted) e).message().body()).toList(), "the frozen post stored once");
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
        assertEquals(0, storage.rooms().summariesOf(alice.id(), RoomListQuery.first(10)).rooms().getFirst().unread());
    }

    private void assertEveryCallUnavailable(EventDraft.Post attempt) {
        assertUnavailable(() -> storage.log().append(attempt));
        assertUnavailable(() -> storage.log().history(room, HistoryQuery.latest(10)));
        assertUnavailable(() -> storage.log().eventsAfter(room, 0, 10));
        assertUnavailable(() -> storage.rooms().isMember(room, alice.id()));
        assertUnavailable(() -> storage.rooms().summariesOf(alice.id(), RoomListQuery.first(10)));
        assertUnavailable(() -> storage.rooms().lastSeqsOf(alice.id()));
        assertUnavailable(() -> storage.rooms().create(
                new Room(RoomId.of("r-" + UUID.randomUUID()), "new", Visibility.OPEN, alice.id(), at()),
                List.of(alice.id())));
        assertUnavailable(() -> storage.sessions().find("s-" + UUID.randomUUID()));
        assertUnavailable(() -> storage.sessions().update("s-" + UUID.randomUUID(), s -> s));
        assertUnavailable(() -> storage.sessions().silent(at(), 10));
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
        if (storage.log().append(postDraft(body)) instanceof AppendOutcome.Appended(
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
