package io.parley.testkit;

import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.parley.testkit.StoreFixture.posted;
import static io.parley.testkit.StoreFixture.range;
import static io.parley.testkit.StoreFixture.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code RoomLog} read contract: history pages, replay of events, last seq. */
interface HistoryTests extends StoreFixture {

    /**
     * A room with alice and bob (seqs 1, 2) and five messages at seqs 4, 5, 7, 8, 10, between other events.
     *
     * @return the room
     */
    private RoomId roomWithFiveMessages() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId room = roomWith(alice, bob);
        append(drafts().join(room, carol));
        post(room, alice, "m1");
        post(room, bob, "m2");
        append(drafts().read(room, bob, 5));
        post(room, alice, "m3");
        post(room, carol, "m4");
        append(drafts().leave(room, carol));
        post(room, bob, "m5");
        return room;
    }

    @Test
    default void the_latest_page_lists_the_newest_messages_first() {
        RoomId room = roomWithFiveMessages();

        HistoryPage page = log().history(room, HistoryQuery.latest(3));

        assertEquals(List.of(10L, 8L, 7L), seqs(page));
        assertEquals(List.of("m5", "m4", "m3"), page.messages().stream().map(Message::body).toList());
        assertTrue(page.hasMore());
    }

    @Test
    default void a_page_that_reaches_the_first_message_has_no_more() {
        RoomId room = roomWithFiveMessages();

        assertFalse(log().history(room, HistoryQuery.latest(5)).hasMore());
        HistoryPage all = log().history(room, HistoryQuery.latest(50));
        assertEquals(List.of(10L, 8L, 7L, 5L, 4L), seqs(all));
        assertFalse(all.hasMore());
    }

    @Test
    default void before_pages_further_back_newest_first() {
        RoomId room = roomWithFiveMessages();

        HistoryPage middle = log().history(room, HistoryQuery.before(8, 2));
        assertEquals(List.of(7L, 5L), seqs(middle));
        assertTrue(middle.hasMore());

        HistoryPage last = log().history(room, HistoryQuery.before(7, 2));
        assertEquals(List.of(5L, 4L), seqs(last));
        assertFalse(last.hasMore());

        assertEquals(List.of(), log().history(room, HistoryQuery.before(4, 2)).messages());
    }

    @Test
    default void after_lists_the_messages_right_after_a_seq_oldest_first() {
        RoomId room = roomWithFiveMessages();

        HistoryPage first = log().history(room, HistoryQuery.after(0, 2));
        assertEquals(List.of(4L, 5L), seqs(first));
        assertTrue(first.hasMore());

        HistoryPage rest = log().history(room, HistoryQuery.after(5, 3));
        assertEquals(List.of(7L, 8L, 10L), seqs(rest));
        assertFalse(rest.hasMore());

        assertEquals(List.of(), log().history(room, HistoryQuery.after(10, 3)).messages());
    }

    @Test
    default void history_holds_messages_only_in_their_current_state() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        Message edited = post(room, alice, "helo");
        Message deleted = post(room, bob, "oops");
        Message plain = post(room, alice, "fine");
        EventDraft.Edit edit = drafts().edit(room, edited.id(), "hello");
        append(edit);
        append(drafts().delete(room, deleted.id()));
        append(drafts().read(room, bob, 5));

        HistoryPage page = log().history(room, HistoryQuery.latest(50));

        assertEquals(List.of(plain, deleted.tombstone(), edited.edited("hello", edit.at())), page.messages());
        assertEquals(List.of(edited.edited("hello", edit.at()), deleted.tombstone(), plain),
                log().history(room, HistoryQuery.after(0, 50)).messages());
    }

    @Test
    default void events_after_a_seq_are_returned_as_appended_in_seq_order_up_to_the_limit() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice);
        EventDraft.Post post = drafts().post(room, alice, "helo");
        List<EventDraft> drafts = List.of(post, drafts().edit(room, post.messageId(), "hello"),
                drafts().join(room, bob), drafts().read(room, bob, 3), drafts().leave(room, bob));
        List<RoomEvent> stored = drafts.stream().map(this::append).toList();

        assertEquals(stored.subList(0, 2), log().eventsAfter(room, 1, 2));
        assertEquals(post.toEvent(2), log().eventsAfter(room, 1, 1).getFirst(),
                "a message event keeps the body it was posted with");
        assertEquals(stored.subList(2, 5), log().eventsAfter(room, 3, 100));
        assertEquals(range(1, 6), seqs(log().eventsAfter(room, 0, 6)));
        assertEquals(List.of(), log().eventsAfter(room, 6, 10));
        assertEquals(List.of(), log().eventsAfter(room, Long.MAX_VALUE, 10), "far past the end: nothing, no overflow");
        assertEquals(List.of(), log().eventsAfter(room, Long.MAX_VALUE - 5, Integer.MAX_VALUE));
    }

    @Test
    default void an_edited_messages_event_replays_with_its_original_body_followed_by_the_edit() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = posted(log().append(
                drafts().postWithAttachment(room, alice, "helo", "https://files.example/a.png")));
        EventDraft.Edit edit = drafts().edit(room, original.id(), "hello");
        append(edit);

        assertEquals(List.of(new RoomEvent.MessagePosted(original), edit.toEvent(3)), log().eventsAfter(room, 1, 10));
    }

    @Test
    default void a_deleted_messages_event_replays_as_a_tombstone_without_its_body_or_attachment() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message secret = posted(log().append(drafts().postWithAttachment(room, alice, "my password is hunter2",
                "https://files.example/hunter2.png")));
        Message kept = post(room, alice, "nothing to hide");
        EventDraft.Edit edit = drafts().edit(room, secret.id(), "my password is hunter3");
        append(edit);
        EventDraft.Delete delete = drafts().delete(room, secret.id());
        append(delete);

        List<RoomEvent> replay = log().eventsAfter(room, 1, 100);

        Message tombstone = new Message(secret.id(), room, 2, alice.id(), alice.displayName(), "", Optional.empty(),
                secret.sentAt(), Optional.empty(), true);
        assertEquals(secret.tombstone(), tombstone);
        assertEquals(List.of(new RoomEvent.MessagePosted(tombstone), new RoomEvent.MessagePosted(kept),
                new RoomEvent.MessageEdited(room, 4, secret.id(), "", edit.at()), delete.toEvent(5)), replay,
                "the message event is its tombstone and its edit keeps no body; other messages keep theirs");
        assertTrue(replay.stream().noneMatch(e -> e.toString().contains("hunter")), replay::toString);
        assertEquals(replay.subList(2, 4), log().eventsAfter(room, 3, 100), "a replay that starts later too");
    }

    @Test
    default void last_seq_counts_every_durable_event_and_nothing_else() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        assertEquals(2, log().lastSeq(room));

        Message message = post(room, alice, "hello");
        append(drafts().read(room, bob, 3));
        log().append(drafts().join(room, bob));
        log().append(drafts().post(room, alice, "hello", "client-1"));
        log().append(drafts().post(room, alice, "hello", "client-1"));
        log().append(drafts().edit(room, drafts().messageId(), "nothing to edit"));

        assertEquals(5, log().lastSeq(room));
        assertEquals(3, message.seq());
    }
}
