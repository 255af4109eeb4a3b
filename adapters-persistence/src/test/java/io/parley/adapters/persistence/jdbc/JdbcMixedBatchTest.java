package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

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
