package io.parley.testkit;

import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.ReplyPreview;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.User;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code RoomLog} contract for replies (a preview of the parent as it is now) and mentions. */
interface ReplyAndMentionTests extends StoreFixture {

    private EventDraft.Post reply(RoomId room, User author, String body, Message parent, List<UserId> mentions) {
        return new EventDraft.Post(room, drafts().messageId(), author, body, Optional.empty(), Optional.empty(),
                drafts().now(), Optional.of(ReplyPreview.of(parent)), mentions);
    }

    @Test
    default void a_reply_carries_its_parents_preview_which_follows_the_parents_edits_and_deletion() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        String longBody = "🙂".repeat(60) + "x".repeat(60);
        Message parent = post(room, alice, longBody);
        EventDraft.Post draft = reply(room, bob, "agreed", parent, List.of());

        Message reply = ((RoomEvent.MessagePosted) append(draft)).message();

        ReplyPreview preview = new ReplyPreview(parent.id(), alice.id(), alice.displayName(),
                "🙂".repeat(60) + "x".repeat(40), false);
        assertEquals(Optional.of(preview), reply.replyTo(), "the first 100 characters, an emoji counting once");
        assertEquals(Optional.of(preview), log().message(room, reply.id()).orElseThrow().replyTo());

        append(drafts().edit(room, parent.id(), "edited text"));
        ReplyPreview edited = new ReplyPreview(parent.id(), alice.id(), alice.displayName(), "edited text", false);
        assertEquals(Optional.of(edited), log().history(room, HistoryQuery.latest(10)).messages().stream()
                .filter(m -> m.id().equals(reply.id())).findFirst().orElseThrow().replyTo());
        assertEquals(Optional.of(edited), ((RoomEvent.MessagePosted) log().eventsAfter(room, reply.seq() - 1, 1)
                .getFirst()).message().replyTo(), "replay shows the parent as it is now");

        append(drafts().delete(room, parent.id()));
        ReplyPreview deleted = new ReplyPreview(parent.id(), alice.id(), alice.displayName(), "", true);
        assertEquals(Optional.of(deleted), log().message(room, reply.id()).orElseThrow().replyTo());
        assertEquals(Optional.of(deleted), ((RoomEvent.MessagePosted) log().eventsAfter(room, reply.seq() - 1, 1)
                .getFirst()).message().replyTo(), "nothing of the deleted parent's text is left");
    }

    @Test
    default void mentions_are_kept_with_the_message_and_counted_per_reader_until_read_or_deleted() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId room = roomWith(alice, bob, carol);
        Message first = post(room, alice, "hello");
        EventDraft.Post mention = new EventDraft.Post(room, drafts().messageId(), alice, "@bob @carol look",
                Optional.empty(), Optional.empty(), drafts().now(), Optional.of(ReplyPreview.of(first)),
                List.of(bob.id(), carol.id()));
        Message mentioning = ((RoomEvent.MessagePosted) append(mention)).message();
        Message bobOnly = StoreFixture.posted(log().append(new EventDraft.Post(room, drafts().messageId(), alice,
                "@bob again", Optional.empty(), Optional.empty(), drafts().now(), Optional.empty(),
                List.of(bob.id(), bob.id())))); // named twice, mentioned once

        assertEquals(List.of(bob.id(), carol.id()), mentioning.mentions());
        assertEquals(List.of(bob.id()), bobOnly.mentions());
        assertEquals(List.of(bob.id(), carol.id()), log().message(room, mentioning.id()).orElseThrow().mentions());
        assertEquals(List.of(bob.id(), carol.id()), ((RoomEvent.MessagePosted) log()
                .eventsAfter(room, mentioning.seq() - 1, 1).getFirst()).message().mentions());
        assertEquals(3, summaryOf(bob, room).unread());
        assertEquals(2, summaryOf(bob, room).mentions());
        assertEquals(1, summaryOf(carol, room).mentions());
        assertEquals(0, summaryOf(alice, room).mentions());

        append(drafts().read(room, bob, mentioning.seq()));
        assertEquals(1, summaryOf(bob, room).mentions(), "read up to the first mention");
        append(drafts().delete(room, bobOnly.id()));
        assertEquals(0, summaryOf(bob, room).mentions(), "a deleted message mentions nobody");
        assertTrue(log().message(room, bobOnly.id()).orElseThrow().mentions().isEmpty());
        assertEquals(1, summaryOf(carol, room).mentions());
    }

    private RoomSummary summaryOf(User user, RoomId room) {
        return rooms().summariesOf(user.id(), RoomListQuery.first(50)).rooms().stream()
                .filter(s -> s.room().id().equals(room)).findFirst().orElseThrow();
    }
}
