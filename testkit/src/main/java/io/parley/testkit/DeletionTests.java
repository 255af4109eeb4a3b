package io.parley.testkit;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.DirectPair;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListQuery;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.parley.testkit.StoreFixture.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code Rooms} and {@code RoomLog} contract for deleting a room. */
interface DeletionTests extends StoreFixture {

    @Test
    default void a_deleted_room_keeps_only_its_last_event_and_nothing_else_of_it_is_found() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        String tag = drafts().messageId().value().replace('.', '_').toLowerCase(java.util.Locale.ROOT);
        Room created = drafts().room("Deal " + tag, alice);
        rooms().create(created, List.of(alice.id(), bob.id()));
        RoomId room = created.id();
        Message kept = post(room, bob, "findable word " + tag);
        append(drafts().read(room, bob, kept.seq()));
        append(new io.parley.domain.EventDraft.Ban(room, carol.id(), alice.id(), drafts().now()));
        long last = log().lastSeq(room);

        java.time.Instant at = drafts().now();
        RoomEvent.RoomDeleted gone = rooms().delete(room, alice.id(), at).orElseThrow();

        assertEquals(new RoomEvent.RoomDeleted(room, last + 1, alice.id(), gone.at()), gone);
        assertEquals(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                gone.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertEquals(List.of(gone), log().eventsAfter(room, 0, 100), "the log keeps only its last event");
        assertEquals(List.of(gone), log().eventsAfter(room, last, 100));
        assertEquals(List.of(), log().eventsAfter(room, last + 1, 100));
        assertEquals(last + 1, log().lastSeq(room));
        assertEquals(Optional.empty(), rooms().find(room));
        assertEquals(List.of(), rooms().members(room));
        assertFalse(rooms().isMember(room, bob.id()));
        assertEquals(Optional.empty(), rooms().roleOf(room, alice.id()));
        assertFalse(rooms().isBanned(room, carol.id()));
        assertFalse(rooms().roomsOf(bob.id()).contains(room));
        assertFalse(rooms().lastSeqsOf(alice.id()).containsKey(room));
        assertTrue(rooms().summariesOf(bob.id(), RoomListQuery.first(RoomListQuery.MAX_LIMIT)).rooms().stream()
                .noneMatch(s -> s.room().id().equals(room)));
        assertTrue(rooms().directory(new DirectoryQuery(tag, Optional.empty(), 10)).rooms().isEmpty(),
                "not in the directory");
        assertEquals(Optional.empty(), log().message(room, kept.id()));
        assertEquals(List.of(), log().history(room, HistoryQuery.latest(50)).messages());
        assertTrue(log().search(bob.id(), SearchQuery.of(tag, Optional.empty(), 10)).messages().stream()
                .noneMatch(m -> m.room().equals(room)));
    }

    @Test
    default void nothing_is_appended_to_a_deleted_room_its_id_is_not_given_again_and_a_second_delete_does_nothing() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        rooms().delete(room, alice.id(), drafts().now()).orElseThrow();

        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(drafts().post(room, alice, "after")));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(drafts().join(room, bob)));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(new io.parley.domain.EventDraft.SetRole(room,
                bob.id(), Role.ADMIN, alice.id(), drafts().now())));
        assertFailsWith(ErrorCode.CONFLICT, () -> rooms().create(new Room(room, "again", Visibility.OPEN,
                alice.id(), drafts().now()), List.of(alice.id())));
        assertEquals(Optional.empty(), rooms().delete(room, alice.id(), drafts().now()));
        assertEquals(3, log().lastSeq(room), "two joins and the deletion");
        assertEquals(Optional.empty(), rooms().delete(drafts().room("never created", alice).id(), alice.id(),
                drafts().now()));
    }

    @Test
    default void a_client_id_used_in_a_deleted_room_is_free_again() {
        User alice = drafts().user("alice");
        RoomId gone = roomWith(alice);
        RoomId kept = roomWith(alice);
        String clientId = "retry-" + drafts().messageId().value();
        Message first = StoreFixture.posted(log().append(drafts().post(gone, alice, "first", clientId)));
        rooms().delete(gone, alice.id(), drafts().now()).orElseThrow();

        AppendOutcome again = log().append(drafts().post(kept, alice, "again", clientId));

        Message posted = StoreFixture.posted(again);
        assertEquals(kept, posted.room(), "a new message, not the deleted one: " + again);
        assertTrue(again instanceof AppendOutcome.Appended);
        assertFalse(posted.id().equals(first.id()));
    }

    @Test
    default void a_direct_conversation_is_not_deleted() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        Room direct = Room.direct(DirectPair.of(alice.id(), bob.id()), alice.id(), drafts().now());
        rooms().create(direct, List.of(alice.id(), bob.id()));

        assertEquals(Optional.empty(), rooms().delete(direct.id(), alice.id(), drafts().now()));
        assertEquals(2L, rooms().lastSeqsOf(alice.id()).get(direct.id()));
        assertTrue(rooms().find(direct.id()).isPresent());
    }

    @Test
    default void posts_racing_a_deletion_are_either_stored_before_it_or_refused() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        List<java.util.concurrent.Callable<Object>> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int writer = i;
            tasks.add(() -> {
                List<Object> outcomes = new java.util.ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    try {
                        outcomes.add(log().append(drafts().post(room, alice, "m" + writer + "." + n)));
                    } catch (io.parley.domain.ParleyException e) {
                        outcomes.add(e.code());
                    }
                }
                return outcomes;
            });
        }
        tasks.add(() -> rooms().delete(room, alice.id(), drafts().now()).orElseThrow());
        List<Object> results = Concurrently.run(tasks, java.time.Duration.ofSeconds(30));

        RoomEvent.RoomDeleted gone = (RoomEvent.RoomDeleted) results.getLast();
        long stored = 0;
        for (Object outcomes : results.subList(0, 8)) {
            for (Object outcome : (List<?>) outcomes) {
                if (outcome instanceof AppendOutcome appended) {
                    assertTrue(StoreFixture.posted(appended).seq() < gone.seq(), "stored before the deletion");
                    stored++;
                } else {
                    assertEquals(ErrorCode.NOT_FOUND, outcome, "refused after it");
                }
            }
        }
        assertEquals(1 + stored + 1, gone.seq(), "the join, every stored post, then the deletion: no gap");
    }
}
