package io.parley.testkit;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.parley.testkit.StoreFixture.assertUnchanged;
import static io.parley.testkit.StoreFixture.posted;
import static io.parley.testkit.StoreFixture.range;
import static io.parley.testkit.StoreFixture.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The {@code RoomLog} append contract: seqs, posts, idempotency, edits, tombstones and read markers. */
interface AppendTests extends StoreFixture {

    @Test
    default void every_appended_event_gets_the_next_seq_without_gaps() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice);
        EventDraft.Post post = drafts().post(room, alice, "hello");
        List<EventDraft> drafts = List.of(post, drafts().join(room, bob), drafts().read(room, bob, 2),
                drafts().edit(room, post.messageId(), "hello!"), drafts().delete(room, post.messageId()),
                drafts().leave(room, bob));

        List<RoomEvent> stored = drafts.stream().map(this::append).toList();

        List<RoomEvent> expected = List.of(post.toEvent(2), drafts.get(1).toEvent(3), drafts.get(2).toEvent(4),
                drafts.get(3).toEvent(5), drafts.get(4).toEvent(6), drafts.get(5).toEvent(7));
        assertEquals(expected, stored);
        assertEquals(range(1, 7), seqs(log().eventsAfter(room, 0, 100)));
        assertEquals(7, log().lastSeq(room));
    }

    @Test
    default void a_posted_message_is_stored_as_drafted_and_found_in_its_room_only() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        RoomId otherRoom = roomWith(alice);
        EventDraft.Post post = drafts().postWithAttachment(room, alice, "see this", "https://files.example/a.png");

        Message message = posted(log().append(post));

        assertEquals(post.toEvent(2).message(), message);
        assertEquals(Optional.of(message), log().message(room, post.messageId()));
        assertEquals(Optional.empty(), log().message(otherRoom, post.messageId()));
        assertEquals(Optional.empty(), log().message(room, drafts().messageId()));
    }

    @Test
    default void any_text_the_domain_rule_lets_through_is_kept_exactly() {
        // io.parley.domain.TextRule: tab and line breaks in bodies, pairs of surrogates (an emoji, a CJK
        // extension character), a literal U+FFFD, right-to-left and zero-width characters. A store that
        // rewrites any of them (an encoding, a trim, a normalisation) fails here.
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        String body = "\tline one\r\nline two\n\n😀 \uD840\uDC0B \uFFFD \u05D0\u200F \u200B\u00A0end ";
        EventDraft.Post post = drafts().post(room, alice, body, "id-😀-\u00E9");

        Message message = posted(log().append(post));

        assertEquals(body, message.body());
        assertEquals(body, log().message(room, post.messageId()).orElseThrow().body());
        assertEquals(body, ((RoomEvent.MessagePosted) log().eventsAfter(room, 1, 1).get(0)).message().body());
        assertEquals(new AppendOutcome.AlreadyPosted(message),
                log().append(drafts().post(room, alice, "again", "id-😀-\u00E9")));
    }

    @Test
    default void a_retried_post_returns_the_original_message_and_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = posted(log().append(drafts().post(room, alice, "hello", "client-1")));

        AppendOutcome retry = log().append(drafts().post(room, alice, "hello again", "client-1"));

        assertEquals(new AppendOutcome.AlreadyPosted(original), retry);
        assertEquals(2, log().lastSeq(room));
        assertEquals(List.of(original), log().history(room, HistoryQuery.latest(10)).messages());
    }

    @Test
    default void a_retry_in_another_room_returns_the_original_message_from_its_room() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        RoomId otherRoom = roomWith(alice);
        Message original = posted(log().append(drafts().post(room, alice, "hello", "client-1")));

        AppendOutcome retry = log().append(drafts().post(otherRoom, alice, "hello", "client-1"));

        assertEquals(new AppendOutcome.AlreadyPosted(original), retry, "a client id is the author's in every room");
        assertEquals(room, original.room());
        assertEquals(1, log().lastSeq(otherRoom));
        assertEquals(List.of(), log().history(otherRoom, HistoryQuery.latest(10)).messages());
        assertEquals(2, log().lastSeq(room));
    }

    @Test
    default void the_same_client_id_from_another_author_is_a_new_message() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        Message fromAlice = posted(log().append(drafts().post(room, alice, "hi", "client-1")));

        Message fromBob = posted(log().append(drafts().post(room, bob, "hi", "client-1")));

        assertNotEquals(fromAlice.id(), fromBob.id());
        assertEquals(4, fromBob.seq());
        assertEquals(bob.id(), fromBob.author());
    }

    @Test
    default void a_retry_after_an_edit_returns_the_message_as_edited() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = posted(log().append(drafts().post(room, alice, "helo", "client-1")));
        EventDraft.Edit edit = drafts().edit(room, original.id(), "hello");
        append(edit);

        AppendOutcome retry = log().append(drafts().post(room, alice, "helo", "client-1"));

        assertEquals(new AppendOutcome.AlreadyPosted(original.edited("hello", edit.at())), retry);
        assertEquals(3, log().lastSeq(room));
    }

    @Test
    default void a_retry_after_a_delete_returns_the_tombstone() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = posted(log().append(drafts().post(room, alice, "oops", "client-1")));
        append(drafts().delete(room, original.id()));

        AppendOutcome retry = log().append(drafts().post(room, alice, "oops", "client-1"));

        assertEquals(new AppendOutcome.AlreadyPosted(original.tombstone()), retry);
    }

    @Test
    default void an_edit_replaces_the_body_and_records_the_edit_time() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = post(room, alice, "helo");
        EventDraft.Edit edit = drafts().edit(room, original.id(), "hello");

        RoomEvent event = append(edit);

        assertEquals(edit.toEvent(3), event);
        assertEquals(Optional.of(original.edited("hello", edit.at())), log().message(room, original.id()));
    }

    @Test
    default void a_delete_leaves_a_tombstone_at_the_same_seq_without_body_or_attachment() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = posted(log().append(
                drafts().postWithAttachment(room, alice, "secret", "https://files.example/s.png")));
        EventDraft.Delete delete = drafts().delete(room, original.id());

        assertEquals(delete.toEvent(3), append(delete));

        Message tombstone = log().message(room, original.id()).orElseThrow();
        assertEquals(original.tombstone(), tombstone);
        assertEquals(2, tombstone.seq());
        assertEquals("", tombstone.body());
        assertEquals(Optional.empty(), tombstone.attachmentUrl());
    }

    @Test
    default void editing_or_deleting_a_missing_message_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);

        assertUnchanged(log().append(drafts().edit(room, drafts().messageId(), "hello")));
        assertUnchanged(log().append(drafts().delete(room, drafts().messageId())));

        assertEquals(1, log().lastSeq(room));
    }

    @Test
    default void editing_or_deleting_a_deleted_message_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message original = post(room, alice, "hello");
        append(drafts().delete(room, original.id()));

        assertUnchanged(log().append(drafts().edit(room, original.id(), "back again")));
        assertUnchanged(log().append(drafts().delete(room, original.id())));

        assertEquals(3, log().lastSeq(room));
        assertEquals(Optional.of(original.tombstone()), log().message(room, original.id()));
    }

    @Test
    default void editing_or_deleting_a_message_of_another_room_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        RoomId otherRoom = roomWith(alice);
        Message original = post(room, alice, "hello");

        assertUnchanged(log().append(drafts().edit(otherRoom, original.id(), "hijacked")));
        assertUnchanged(log().append(drafts().delete(otherRoom, original.id())));

        assertEquals(Optional.of(original), log().message(room, original.id()));
    }

    @Test
    default void read_markers_only_move_forward() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, alice, "one");
        post(room, alice, "two");
        EventDraft.Read read = drafts().read(room, bob, 4);

        assertEquals(read.toEvent(5), append(read));
        assertUnchanged(log().append(drafts().read(room, bob, 4)));
        assertUnchanged(log().append(drafts().read(room, bob, 3)));
        assertEquals(5, log().lastSeq(room));

        assertEquals(6, append(drafts().read(room, bob, 5)).seq());
        assertEquals(7, append(drafts().read(room, alice, 2)).seq(), "each member has a marker of their own");
    }
}
