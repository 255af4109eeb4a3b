package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.RoomLog;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.Room;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.testkit.Drafts;
import io.parley.testkit.SteppingClock;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one store wrote, a store opened later on the same database reads back exactly. */
class JdbcRestartTest {
    private static TestDatabase database;

    private final Drafts drafts = Drafts.create(SteppingClock.create(Instant.parse("2025-03-01T10:00:00.123456Z"),
            Duration.ofMillis(1500)));

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void messages_edits_deletes_receipts_and_memberships_survive_closing_and_reopening_the_store() {
        User alice = drafts.user("alice");
        User bob = drafts.user("bob");
        User carol = drafts.user("carol");
        RoomId room;
        Snapshot before;
        long seenByBob;
        try (JdbcStorage first = JdbcStorage.create(Settings.of(database).build())) {
            Room general = drafts.room("general", alice);
            room = general.id();
            first.rooms().create(general, List.of(alice.id(), bob.id()));
            Message hello = posted(first.log(), drafts.post(room, alice, "helo", "client-1"));
            Message oops = posted(first.log(), drafts.postWithAttachment(room, bob, "oops", "https://f.example/x"));
            first.log().append(drafts.edit(room, hello.id(), "hello"));
            first.log().append(drafts.delete(room, oops.id()));
            first.log().append(drafts.join(room, carol));
            first.log().append(drafts.read(room, bob, 4));
            seenByBob = first.log().lastSeq(room);
            first.log().append(drafts.leave(room, carol));
            posted(first.log(), drafts.post(room, alice, "missed by bob"));
            before = Snapshot.of(first, room, alice, bob, carol);
        }

        try (JdbcStorage second = JdbcStorage.create(Settings.of(database).build())) {
            assertEquals(before, Snapshot.of(second, room, alice, bob, carol));
            List<RoomEvent> missed = second.log().eventsAfter(room, seenByBob, 100);
            assertEquals(before.events().subList((int) seenByBob, before.events().size()), missed,
                    "a client resuming after the last seq it saw gets exactly what it missed");
            AppendOutcome retry = second.log().append(drafts.post(room, alice, "helo", "client-1"));
            assertInstanceOf(AppendOutcome.AlreadyPosted.class, retry, "idempotency keys survive too");
        }
    }

    @Test
    void times_keep_their_microseconds_and_drop_nanoseconds_consistently() {
        User alice = drafts.user("alice");
        RoomId room = drafts.room("precise", alice).id();
        try (JdbcStorage store = JdbcStorage.create(Settings.of(database).build())) {
            store.rooms().create(new Room(room, "precise", Visibility.OPEN, alice.id(),
                    Instant.parse("2025-03-01T10:00:00.123456789Z")), List.of(alice.id()));
            EventDraft.Post post = new EventDraft.Post(room, drafts.messageId(), alice, "now", Optional.empty(),
                    Optional.empty(), Instant.parse("2025-03-01T10:00:01.987654321Z"));

            Message appended = posted(store.log(), post);

            assertEquals(Instant.parse("2025-03-01T10:00:01.987654Z"), appended.sentAt());
            assertEquals(Optional.of(appended), store.log().message(room, appended.id()));
            assertEquals(Instant.parse("2025-03-01T10:00:00.123456Z"), store.rooms().find(room).orElseThrow()
                    .createdAt());
        }
    }

    private static Message posted(RoomLog log, EventDraft.Post post) {
        AppendOutcome outcome = log.append(post);
        assertTrue(outcome instanceof AppendOutcome.Appended(RoomEvent.MessagePosted ignored), outcome::toString);
        return ((RoomEvent.MessagePosted) ((AppendOutcome.Appended) outcome).event()).message();
    }

    /** Everything the ports say about one room and its users. */
    private record Snapshot(Object room, List<RoomEvent> events, Object history, Object members, Object summaries,
                            Object roomsOf) {
        static Snapshot of(JdbcStorage store, RoomId room, User... users) {
            List<RoomEvent> events = store.log().eventsAfter(room, 0, 1000);
            assertFalse(events.isEmpty());
            return new Snapshot(store.rooms().find(room), events,
                    List.of(store.log().history(room, HistoryQuery.latest(50)),
                            store.log().history(room, HistoryQuery.after(0, 50))),
                    store.rooms().members(room),
                    Stream.of(users).map(u -> store.rooms().summariesOf(u.id(), RoomListQuery.first(50))).toList(),
                    Stream.of(users).map(u -> store.rooms().roomsOf(u.id())).toList());
        }
    }
}
