package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.testkit.Drafts;
import io.parley.testkit.SteppingClock;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values the database refuses come back as {@code invalid}, {@code conflict} or {@code not_found}, never {@code internal}. */
class JdbcDataRulesTest {
    private TestDatabase database;
    private JdbcStorage storage;
    private final Drafts drafts = Drafts.create(SteppingClock.create(Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofSeconds(1)));
    private final User alice = drafts.user("alice");

    @BeforeEach
    void openStore() {
        database = TestPostgres.createDatabase();
        storage = JdbcStorage.create(Settings.of(database).build());
    }

    @AfterEach
    void closeStore() {
        storage.close();
        database.close();
    }

    @Test
    void a_room_name_longer_than_the_store_keeps_is_invalid_and_creates_nothing() {
        Room room = new Room(RoomId.of("long-name"), "n".repeat(1001), Visibility.OPEN, alice.id(), drafts.now());

        assertFailsWith(ErrorCode.INVALID, () -> storage.rooms().create(room, List.of(alice.id())));

        assertEquals(Optional.empty(), storage.rooms().find(room.id()));
    }

    @Test
    void a_body_with_a_nul_character_is_invalid_and_appends_nothing() {
        RoomId room = room();

        assertFailsWith(ErrorCode.INVALID, () -> storage.log().append(drafts.post(room, alice, "nul \u0000 here")));

        assertEquals(1, storage.log().lastSeq(room));
    }

    @Test
    void a_body_or_attachment_url_beyond_the_stores_limits_is_invalid() {
        RoomId room = room();

        assertFailsWith(ErrorCode.INVALID, () -> storage.log().append(drafts.post(room, alice, "b".repeat(100_001))));
        assertFailsWith(ErrorCode.INVALID, () -> storage.log().append(
                drafts.postWithAttachment(room, alice, "see", "https://f.example/" + "u".repeat(8200))));

        assertEquals(1, storage.log().lastSeq(room));
    }

    @Test
    void a_message_id_used_twice_in_a_room_is_a_conflict() {
        RoomId room = room();
        EventDraft.Post first = drafts.post(room, alice, "first");
        storage.log().append(first);
        EventDraft.Post again = new EventDraft.Post(room, first.messageId(), alice, "second", Optional.empty(),
                Optional.empty(), drafts.now());

        assertFailsWith(ErrorCode.CONFLICT, () -> storage.log().append(again));

        assertEquals(2, storage.log().lastSeq(room));
    }

    @Test
    void a_retry_that_reuses_its_message_id_returns_the_original() {
        RoomId room = room();
        EventDraft.Post post = drafts.post(room, alice, "once", "client-1");
        AppendOutcome first = storage.log().append(post);

        AppendOutcome retry = storage.log().append(post);

        Message original = ((RoomEvent.MessagePosted) ((AppendOutcome.Appended) first).event()).message();
        assertEquals(new AppendOutcome.AlreadyPosted(original), retry);
        assertEquals(2, storage.log().lastSeq(room));
    }

    @Test
    void a_client_id_is_the_authors_in_every_room_as_the_protocol_says() {
        RoomId first = room();
        RoomId second = room();
        AppendOutcome posted = storage.log().append(drafts.post(first, alice, "hello", "client-1"));

        AppendOutcome elsewhere = storage.log().append(drafts.post(second, alice, "hello", "client-1"));

        Message original = ((RoomEvent.MessagePosted) ((AppendOutcome.Appended) posted).event()).message();
        assertEquals(new AppendOutcome.AlreadyPosted(original), elsewhere);
        assertEquals(1, storage.log().lastSeq(second));
    }

    @Test
    void ids_with_quotes_semicolons_and_emoji_are_plain_data() {
        RoomId odd = RoomId.of("it's a room; DROP TABLE rooms; -- \uD83D\uDCAC");
        User odder = User.of("o'neil\"; --");
        storage.rooms().create(new Room(odd, "odd", Visibility.OPEN, odder.id(), drafts.now()), List.of(odder.id()));

        AppendOutcome posted = storage.log().append(drafts.post(odd, odder, "fine"));

        assertInstanceOf(AppendOutcome.Appended.class, posted);
        assertTrue(storage.rooms().isMember(odd, odder.id()));
        assertEquals(List.of(odd), storage.rooms().roomsOf(odder.id()));
    }

    @Test
    void an_unknown_room_is_not_found_for_appends_and_empty_for_reads() {
        RoomId missing = RoomId.of("x".repeat(128));

        assertFailsWith(ErrorCode.NOT_FOUND, () -> storage.log().append(drafts.join(missing, alice)));
        assertEquals(Optional.empty(), storage.log().message(missing, MessageId.of("m".repeat(128))));
        assertEquals(List.of(), storage.rooms().members(missing));
        assertEquals(0, storage.log().lastSeq(missing));
    }

    @Test
    void a_negative_replay_bound_is_invalid() {
        RoomId room = room();

        assertFailsWith(ErrorCode.INVALID, () -> storage.log().eventsAfter(room, -1, 10));
    }

    @Test
    void one_bad_draft_among_concurrent_appends_fails_alone() throws Exception {
        List<RoomId> rooms = List.of(room(), room(), room(), room());
        List<Callable<AppendOutcome>> appends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RoomId room = rooms.get(i % rooms.size());
            String body = i == 17 ? "bad \u0000" : "good " + i;
            appends.add(() -> storage.log().append(drafts.post(room, alice, body)));
        }

        List<Future<AppendOutcome>> outcomes = runTogether(appends);

        for (int i = 0; i < outcomes.size(); i++) {
            Future<AppendOutcome> outcome = outcomes.get(i);
            if (i == 17) {
                Exception e = assertThrows(Exception.class, () -> outcome.get(1, TimeUnit.MINUTES));
                assertEquals(ErrorCode.INVALID, assertInstanceOf(ParleyException.class, e.getCause()).code());
            } else {
                assertInstanceOf(AppendOutcome.Appended.class, outcome.get(1, TimeUnit.MINUTES));
            }
        }
        long stored = rooms.stream().mapToLong(r -> storage.log().lastSeq(r) - 1).sum();
        assertEquals(39, stored);
    }

    @Test
    void an_append_blocked_longer_than_the_statement_timeout_fails_with_unavailable() throws SQLException {
        RoomId room = room();
        try (Connection other = database.connect(); Statement lock = other.createStatement()) {
            other.setAutoCommit(false);
            // Another node holding the room's counter row, e.g. stuck mid-transaction.
            lock.execute("SELECT last_seq FROM rooms WHERE room_id = '" + room.value() + "' FOR UPDATE");

            long started = System.nanoTime();
            assertFailsWith(ErrorCode.UNAVAILABLE, () -> storage.log().append(drafts.post(room, alice, "stuck")));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofSeconds(7)) < 0, "gave up after " + took);

            other.rollback();
        }
        assertInstanceOf(AppendOutcome.Appended.class, storage.log().append(drafts.post(room, alice, "free")));
        assertEquals(2, storage.log().lastSeq(room), "the timed-out append left no trace");
    }

    @Test
    void a_node_frozen_mid_transaction_loses_its_room_locks_before_another_writer_gives_up() {
        RoomId room = room();
        JdbcSettings settings = Settings.of(database).build();
        DbClient frozenNode = JdbcClientBuilder.create().connectionPool(Pool.create(settings)).build();
        try {
            DbTransaction frozen = frozenNode.transaction();
            // The node locked the room's counter row, as an append transaction does first, and then froze.
            assertEquals(1, frozen.createQuery("SELECT last_seq FROM rooms WHERE room_id = ? FOR NO KEY UPDATE")
                    .params(List.of(room.value())).execute().count());

            long started = System.nanoTime();
            AppendOutcome outcome = storage.log().append(drafts.post(room, alice, "after the freeze"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertInstanceOf(AppendOutcome.Appended.class, outcome, "the lock came free before the append gave up");
            assertTrue(took.toMillis() >= Pool.idleInTransactionMillis(settings) / 2, "it waited, " + took);
            assertTrue(took.compareTo(settings.statementTimeout()) < 0, "within the statement timeout, " + took);
            assertThrows(RuntimeException.class, frozen::commit, "the server ended the frozen transaction");
            assertEquals(2, storage.log().lastSeq(room));
        } finally {
            frozenNode.close();
        }
    }

    private RoomId room() {
        Room room = drafts.room("room", alice);
        storage.rooms().create(room, List.of(alice.id()));
        return room.id();
    }

    private static <T> List<Future<T>> runTogether(List<Callable<T>> tasks) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(threads.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        threads.shutdown();
        assertTrue(threads.awaitTermination(1, TimeUnit.MINUTES));
        return futures;
    }

    private static void assertFailsWith(ErrorCode code, Executable action) {
        ParleyException e = assertThrows(ParleyException.class, action);
        assertEquals(code, e.code(), e::toString);
    }
}
