package io.parley.testkit;

import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.Reaction;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.parley.testkit.StoreFixture.assertFailsWith;
import static io.parley.testkit.StoreFixture.assertUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code RoomLog} contract for reactions. */
interface ReactionTests extends StoreFixture {

    private EventDraft.React react(RoomId room, MessageId message, String emoji, User user) {
        return new EventDraft.React(room, message, emoji, user.id(), drafts().now());
    }

    private EventDraft.Unreact unreact(RoomId room, MessageId message, String emoji, User user) {
        return new EventDraft.Unreact(room, message, emoji, user.id(), drafts().now());
    }

    private List<Reaction> reactionsOf(RoomId room, MessageId id) {
        return log().history(room, HistoryQuery.latest(50)).messages().stream().filter(m -> m.id().equals(id))
                .findFirst().orElseThrow().reactions();
    }

    @Test
    default void reactions_are_one_per_user_and_emoji_counted_in_history_in_the_order_first_given() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        Message message = post(room, alice, "ship it?");
        EventDraft.React thumbs = react(room, message.id(), "👍", bob);

        assertEquals(thumbs.toEvent(4), append(thumbs));
        assertUnchanged(log().append(react(room, message.id(), "👍", bob)));
        append(react(room, message.id(), "🎉", alice));
        append(react(room, message.id(), "👍", alice));

        assertEquals(List.of(new Reaction("👍", 2, false), new Reaction("🎉", 1, false)), reactionsOf(room, message.id()));
        assertEquals(Map.of(message.id(), Set.of("🎉", "👍")), log().reactedBy(room, alice.id(), List.of(message.id())));
        assertEquals(Map.of(message.id(), Set.of("👍")), log().reactedBy(room, bob.id(), List.of(message.id())));

        EventDraft.Unreact back = unreact(room, message.id(), "🎉", alice);
        assertEquals(back.toEvent(7), append(back));
        assertUnchanged(log().append(unreact(room, message.id(), "🎉", alice)));
        assertEquals(List.of(new Reaction("👍", 2, false)), reactionsOf(room, message.id()));
        assertEquals(List.of(thumbs.toEvent(4)), log().eventsAfter(room, 3, 1), "replayed as appended");
        assertEquals(back.toEvent(7), log().eventsAfter(room, 6, 1).getFirst());
    }

    @Test
    default void a_missing_or_deleted_message_takes_no_reaction_and_a_deleted_one_loses_its_reactions() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        Message message = post(room, alice, "soon gone");
        append(react(room, message.id(), "👀", alice));

        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(react(room, drafts().messageId(), "👀", alice)));
        append(drafts().delete(room, message.id()));

        assertEquals(List.of(), reactionsOf(room, message.id()));
        assertEquals(Map.of(), log().reactedBy(room, alice.id(), List.of(message.id())));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> log().append(react(room, message.id(), "👍", alice)));
        assertUnchanged(log().append(unreact(room, message.id(), "👀", alice)));
    }

    @Test
    default void a_message_takes_a_bounded_number_of_distinct_reactions() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        Message message = post(room, alice, "pick one");
        for (int i = 0; i < Reaction.MAX_PER_MESSAGE; i++) {
            append(react(room, message.id(), "e" + i, alice));
        }

        assertFailsWith(ErrorCode.TOO_LARGE, () -> log().append(react(room, message.id(), "one-more", alice)));
        append(react(room, message.id(), "e0", bob)); // an emoji already there is not one more
        append(unreact(room, message.id(), "e1", alice));
        append(react(room, message.id(), "now-fits", bob));
        assertEquals(Reaction.MAX_PER_MESSAGE, reactionsOf(room, message.id()).size());
    }
}
