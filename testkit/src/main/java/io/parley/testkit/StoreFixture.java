package io.parley.testkit;

import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.ErrorCode;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the store contract tests share: the store of the current test, its drafts, and short ways to set up
 * rooms and read outcomes. {@link ChatStoreContract} provides a fresh store and drafts for every test.
 */
interface StoreFixture {
    /** @return the store of the current test */
    ChatStore store();

    /** @return the test data of the current test */
    Drafts drafts();

    /** @return the store's rooms port */
    default Rooms rooms() {
        return store().rooms();
    }

    /** @return the store's log port */
    default RoomLog log() {
        return store().log();
    }

    /**
     * Creates a room whose first member is its owner; the members' joins take seqs 1..n.
     *
     * @param owner  owner and first member
     * @param others further members
     * @return the room's id
     */
    default RoomId roomWith(User owner, User... others) {
        Room room = drafts().room("room", owner);
        List<UserId> members = Stream.concat(Stream.of(owner), Stream.of(others)).map(User::id).toList();
        rooms().create(room, members);
        return room.id();
    }

    /**
     * Appends a draft that must be stored.
     *
     * @param draft what to append; refused or unchanged drafts fail the test
     * @return the stored event
     */
    default RoomEvent append(EventDraft draft) {
        return appended(log().append(draft));
    }

    /**
     * Posts a message that must be stored.
     *
     * @param room   the room to post in
     * @param author who posts it
     * @param body   text
     * @return the stored message
     */
    default Message post(RoomId room, User author, String body) {
        return posted(log().append(drafts().post(room, author, body)));
    }

    /**
     * @param outcome an append outcome
     * @return its event, failing the test unless the outcome is {@link AppendOutcome.Appended}
     */
    static RoomEvent appended(AppendOutcome outcome) {
        if (outcome instanceof AppendOutcome.Appended(RoomEvent event)) {
            return event;
        }
        return fail("expected the draft to be appended, but the outcome was " + outcome);
    }

    /**
     * @param outcome an append outcome
     * @return the posted message, failing the test unless a message was appended
     */
    static Message posted(AppendOutcome outcome) {
        if (appended(outcome) instanceof RoomEvent.MessagePosted(Message message)) {
            return message;
        }
        return fail("expected a message to be posted, but the outcome was " + outcome);
    }

    /** @param outcome an append outcome that must be {@link AppendOutcome.Unchanged} */
    static void assertUnchanged(AppendOutcome outcome) {
        assertEquals(new AppendOutcome.Unchanged(), outcome);
    }

    /**
     * @param code   the expected code
     * @param action what must fail with a {@link ParleyException} of that code
     */
    static void assertFailsWith(ErrorCode code, Executable action) {
        assertEquals(code, assertThrows(ParleyException.class, action).code());
    }

    /**
     * @param events the events whose seqs to list
     * @return their seqs, in the same order
     */
    static List<Long> seqs(List<? extends RoomEvent> events) {
        return events.stream().map(RoomEvent::seq).toList();
    }

    /**
     * @param page a history page
     * @return its messages' seqs, in page order
     */
    static List<Long> seqs(HistoryPage page) {
        return page.messages().stream().map(Message::seq).toList();
    }

    /**
     * @param from first
     * @param to   last, inclusive
     * @return from, from + 1, …, to
     */
    static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
}
