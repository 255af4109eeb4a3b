package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.Message;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.testkit.Drafts;
import io.parley.testkit.SteppingClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deleted message's content leaves the {@code events} table itself, whether its earlier events were
 * stored by earlier transactions or are written by the same group-commit batch as the delete.
 */
class JdbcDeletedContentTest {
    private static final String SECRET = "hunter2";

    private final Drafts drafts = Drafts.create(SteppingClock.create(Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofSeconds(1)));
    private final User alice = drafts.user("alice");
    private final StoreWithClient store = StoreWithClient.open();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void a_delete_in_its_own_transaction_removes_the_content_from_every_earlier_event_row() throws SQLException {
        RoomId room = room();
        Message secret = posted(store.storage().log().append(
                drafts.postWithAttachment(room, alice, "password " + SECRET, "https://f.example/" + SECRET)));
        store.storage().log().append(drafts.edit(room, secret.id(), "password " + SECRET + "!"));
        store.storage().log().append(drafts.edit(room, secret.id(), "password " + SECRET + "!!"));

        store.storage().log().append(drafts.delete(room, secret.id()));

        assertEquals(0, rowsHoldingTheSecret());
        assertEquals(new RoomEvent.MessagePosted(secret.tombstone()),
                store.storage().log().eventsAfter(room, 1, 1).getFirst());
    }

    @Test
    void a_message_posted_edited_and_deleted_in_one_batch_is_written_without_its_content() throws SQLException {
        RoomId room = room();
        EventDraft.Post post = drafts.postWithAttachment(room, alice, SECRET, "https://f.example/" + SECRET);
        EventDraft.Edit edit = drafts.edit(room, post.messageId(), SECRET + "!");
        EventDraft.Post kept = drafts.post(room, alice, "kept");

        List<AppendTransaction.Result> results = new AppendTransaction(store.db()).run(List.of(post, edit, kept,
                drafts.delete(room, post.messageId())));

        assertTrue(results.stream().allMatch(r -> r.outcome().orElseThrow() instanceof AppendOutcome.Appended),
                results::toString);
        assertEquals(0, rowsHoldingTheSecret());
        List<RoomEvent> replay = store.storage().log().eventsAfter(room, 1, 10);
        assertEquals(new RoomEvent.MessagePosted(post.toEvent(2).message().tombstone()), replay.get(0));
        assertEquals(new RoomEvent.MessageEdited(room, 3, post.messageId(), "", edit.at()), replay.get(1));
        assertEquals(kept.toEvent(4), replay.get(2), "a message of the batch that was not deleted keeps its body");
    }

    @Test
    void a_batch_that_edits_then_deletes_an_earlier_message_removes_its_old_and_new_content() throws SQLException {
        RoomId room = room();
        Message secret = posted(store.storage().log().append(drafts.post(room, alice, SECRET)));
        Message other = posted(store.storage().log().append(drafts.post(room, alice, "other")));
        store.storage().log().append(drafts.edit(room, secret.id(), SECRET + "!"));
        EventDraft.Edit otherEdit = drafts.edit(room, other.id(), "other, edited");

        new AppendTransaction(store.db()).run(List.of(drafts.edit(room, secret.id(), SECRET + "!!"), otherEdit,
                drafts.delete(room, secret.id())));

        assertEquals(0, rowsHoldingTheSecret());
        List<RoomEvent> replay = store.storage().log().eventsAfter(room, 1, 10);
        assertEquals(List.of(new RoomEvent.MessagePosted(secret.tombstone()), new RoomEvent.MessagePosted(other)),
                replay.subList(0, 2));
        assertEquals(otherEdit.toEvent(6), replay.get(4), "an edit of a message that stays keeps its body");
    }

    private RoomId room() {
        Room room = drafts.room("room", alice);
        store.storage().rooms().create(room, List.of(alice.id()));
        return room.id();
    }

    private static Message posted(AppendOutcome outcome) {
        return ((RoomEvent.MessagePosted) ((AppendOutcome.Appended) outcome).event()).message();
    }

    /** @return rows of events or messages whose body or attachment still mentions the secret */
    private long rowsHoldingTheSecret() throws SQLException {
        String mentions = "strpos(body, '" + SECRET + "') > 0 OR strpos(attachment_url, '" + SECRET + "') > 0";
        try (Connection c = store.database().connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM events WHERE " + mentions
                     + ") + (SELECT count(*) FROM messages WHERE " + mentions + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
