package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.Rooms;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.Reaction;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.testkit.Drafts;
import io.parley.testkit.SteppingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch that mixes posts with other drafts takes the general path, which assumes client ids are new and
 * looks them up only when a unique index objects. These batches are built directly, as a busy writer would
 * take them off its queue; a test through the port could not choose what shares a batch.
 */
class JdbcMixedBatchTest {
    private final Drafts drafts = Drafts.create(SteppingClock.create(Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofSeconds(1)));
    private final User alice = drafts.user("alice");
    private final User bob = drafts.user("bob");
    private final StoreWithClient store = StoreWithClient.open();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void new_posts_and_receipts_share_one_transaction_with_gap_free_seqs() {
        RoomId room = room();
        EventDraft.Post first = drafts.post(room, alice, "one", "c-1");
        EventDraft.Post second = drafts.post(room, bob, "two", "c-2");
        EventDraft.Read read = drafts.read(room, bob, 2);

        List<AppendTransaction.Result> results = new AppendTransaction(store.db())
                .run(List.of(first, read, second, read));

        assertEquals(List.of(new AppendOutcome.Appended(first.toEvent(2)),
                        new AppendOutcome.Appended(read.toEvent(3)), new AppendOutcome.Appended(second.toEvent(4)),
                        new AppendOutcome.Unchanged()),
                results.stream().map(r -> r.outcome().orElseThrow()).toList());
        assertEquals(4, store.storage().log().lastSeq(room));
        assertEquals(List.of(2L, 3L, 4L), store.storage().log().eventsAfter(room, 1, 10).stream()
                .map(RoomEvent::seq).toList());
    }

    @Test
    void a_retried_post_among_receipts_returns_its_original_and_takes_no_seq() {
        RoomId room = room();
        EventDraft.Post original = drafts.post(room, alice, "once", "c-1");
        Message stored = posted(store.storage().log().append(original));
        EventDraft.Post retryWithNewId = drafts.post(room, alice, "once", "c-1");
        EventDraft.Post fresh = drafts.post(room, bob, "new", "c-2");

        List<AppendTransaction.Result> results = new AppendTransaction(store.db()).run(List.of(retryWithNewId,
                drafts.read(room, bob, 2), original, fresh));

        assertEquals(new AppendOutcome.AlreadyPosted(stored), outcome(results, 0), "a retry with a new message id");
        assertEquals(3, ((AppendOutcome.Appended) outcome(results, 1)).event().seq());
        assertEquals(new AppendOutcome.AlreadyPosted(stored), outcome(results, 2), "a retry reusing its message id");
        assertEquals(new AppendOutcome.Appended(fresh.toEvent(4)), outcome(results, 3));
        assertEquals(4, store.storage().log().lastSeq(room));
        assertEquals(List.of(stored), store.storage().log().history(room, HistoryQuery.latest(10))
                .messages().stream().filter(m -> m.author().equals(alice.id())).toList(), "stored once");
    }

    @Test
    void moderation_in_one_batch_leaves_the_state_its_drafts_describe_in_order() {
        User carol = drafts.user("carol");
        User dave = drafts.user("dave");
        Room created = drafts.room("room", alice);
        store.storage().rooms().create(created, List.of(alice.id(), bob.id()));
        RoomId room = created.id();

        List<AppendTransaction.Result> results = new AppendTransaction(store.db()).run(List.of(
                drafts.join(room, carol),
                new EventDraft.SetRole(room, carol.id(), Role.ADMIN, alice.id(), drafts.now()),
                new EventDraft.SetRole(room, bob.id(), Role.ADMIN, alice.id(), drafts.now()),
                new EventDraft.Ban(room, dave.id(), alice.id(), drafts.now()),
                new EventDraft.Unban(room, dave.id(), alice.id(), drafts.now()),
                new EventDraft.Ban(room, dave.id(), carol.id(), drafts.now()),
                drafts.join(room, dave),
                new EventDraft.HandOver(room, alice.id(), carol.id(), drafts.now()),
                drafts.leave(room, bob),
                drafts.join(room, bob)));

        assertTrue(results.get(6).refusal().isPresent(), "dave is banned again when he tries to join");
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), results.stream().filter(r -> r.outcome().isPresent())
                .map(r -> ((AppendOutcome.Appended) r.outcome().get()).event().seq()).toList());
        Rooms rooms = store.storage().rooms();
        assertEquals(List.of(new Member(alice.id(), Role.ADMIN), new Member(carol.id(), Role.OWNER),
                new Member(bob.id(), Role.MEMBER)), rooms.membersWithRoles(room), "bob left and came back a member");
        assertEquals(carol.id(), rooms.find(room).orElseThrow().owner());
        assertEquals(List.of(dave.id()), rooms.banned(room));
        assertEquals(11, store.storage().log().lastSeq(room));
        assertEquals(new RoomEvent.MemberBanned(room, 8, dave.id(), carol.id(),
                ((AppendOutcome.Appended) results.get(5).outcome().orElseThrow()).event().at()),
                store.storage().log().eventsAfter(room, 7, 1).getFirst());
    }

    @Test
    void reactions_in_one_batch_with_their_message_and_its_deletion_leave_no_row_behind() {
        RoomId room = room();
        EventDraft.Post kept = drafts.post(room, alice, "kept", "c-1");
        EventDraft.Post gone = drafts.post(room, alice, "gone", "c-2");

        List<AppendTransaction.Result> results = new AppendTransaction(store.db()).run(List.of(kept, gone,
                new EventDraft.React(room, kept.messageId(), "👍", bob.id(), drafts.now()),
                new EventDraft.React(room, gone.messageId(), "👍", bob.id(), drafts.now()),
                new EventDraft.React(room, kept.messageId(), "🎉", bob.id(), drafts.now()),
                new EventDraft.Unreact(room, kept.messageId(), "🎉", bob.id(), drafts.now()),
                drafts.delete(room, gone.messageId()),
                new EventDraft.React(room, gone.messageId(), "👀", bob.id(), drafts.now())));

        assertTrue(results.getLast().refusal().isPresent(), "a deleted message takes no reaction");
        List<Message> history = store.storage().log().history(room, HistoryQuery.latest(10)).messages();
        assertEquals(List.of(new Reaction("👍", 1, false)), history.stream()
                .filter(m -> m.id().equals(kept.messageId())).findFirst().orElseThrow().reactions());
        assertEquals(List.of(), history.stream().filter(m -> m.id().equals(gone.messageId())).findFirst()
                .orElseThrow().reactions());
        assertEquals(Map.of(kept.messageId(), Set.of("👍")), store.storage().log().reactedBy(room, bob.id(),
                List.of(kept.messageId(), gone.messageId())));
    }

    private RoomId room() {
        Room room = drafts.room("room", alice);
        store.storage().rooms().create(room, List.of(alice.id()));
        return room.id();
    }

    private static AppendOutcome outcome(List<AppendTransaction.Result> results, int index) {
        return results.get(index).outcome().orElseThrow(() -> new AssertionError(results.get(index).refusal()));
    }

    private static Message posted(AppendOutcome outcome) {
        return ((RoomEvent.MessagePosted) ((AppendOutcome.Appended) outcome).event()).message();
    }
}
