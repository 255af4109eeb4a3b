package io.parley.engine.resumable;

import io.parley.application.port.out.Signal;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the fan-out leaves for one reader, drained again and again into reused collections. */
class MailboxTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final UserId ANN = UserId.of("ann");

    private static Signal joined(String room, long seq, String user) {
        return new Signal.Durable(new RoomEvent.MemberJoined(RoomId.of(room), seq, UserId.of(user), AT));
    }

    @Test
    void each_drain_holds_what_arrived_since_the_one_before_and_nothing_of_earlier_drains() {
        Mailbox mailbox = new Mailbox(ANN);
        mailbox.offer(joined("r1", 1, "bob"));
        mailbox.offer(joined("r1", 2, "cid"));
        mailbox.offer(joined("r2", 5, "ann"));

        Mailbox.Pending first = mailbox.drain();
        assertEquals(Set.of(RoomId.of("r1"), RoomId.of("r2")), first.rooms());
        assertEquals(List.of(1L, 2L), first.events(RoomId.of("r1")).stream().map(RoomEvent::seq).toList());
        assertEquals(1, first.joined.size(), "the reader's own join, for inbox following");

        mailbox.offer(joined("r2", 6, "dan"));
        Mailbox.Pending second = mailbox.drain();
        assertEquals(Set.of(RoomId.of("r2")), second.rooms());
        assertEquals(List.of(6L), second.events(RoomId.of("r2")).stream().map(RoomEvent::seq).toList());
        assertTrue(second.joined.isEmpty());
        assertEquals(List.of(), second.events(RoomId.of("r1")));

        Mailbox.Pending nothing = mailbox.drain();
        assertTrue(nothing.isEmpty());
        mailbox.recordChanged();
        Mailbox.Pending third = mailbox.drain();
        assertTrue(third.recordChanged);
        assertTrue(third.rooms().isEmpty(), "the collections reused from the first drain were cleared");
        assertFalse(mailbox.drain().recordChanged);
    }

    @Test
    void a_room_keeps_a_bounded_number_of_events_as_hints() {
        Mailbox mailbox = new Mailbox(ANN);
        for (long seq = 1; seq <= 1000; seq++) {
            mailbox.offer(joined("r1", seq, "u" + seq));
        }

        List<RoomEvent> hints = mailbox.drain().events(RoomId.of("r1"));
        assertEquals(64, hints.size(), "the store has the rest");
        assertEquals(1, hints.getFirst().seq());
    }

    @Test
    void a_lone_event_is_the_only_one_until_anything_else_arrives_and_then_counts_like_any_other() {
        Mailbox mailbox = new Mailbox(ANN);
        mailbox.offer(joined("r1", 1, "bob"));
        Mailbox.Pending one = mailbox.drain();
        assertEquals(1, one.onlyEvent().seq());
        assertEquals(Set.of(RoomId.of("r1")), one.rooms());
        assertEquals(List.of(1L), one.events(RoomId.of("r1")).stream().map(RoomEvent::seq).toList());
        assertEquals(List.of(), one.events(RoomId.of("r2")));

        mailbox.offer(joined("r1", 2, "cid"));
        mailbox.offer(joined("r2", 7, "dan"));
        mailbox.offer(joined("r1", 3, "eve"));
        Mailbox.Pending three = mailbox.drain();
        assertNull(three.onlyEvent());
        assertEquals(Set.of(RoomId.of("r1"), RoomId.of("r2")), three.rooms());
        assertEquals(List.of(2L, 3L), three.events(RoomId.of("r1")).stream().map(RoomEvent::seq).toList());
        assertEquals(List.of(7L), three.events(RoomId.of("r2")).stream().map(RoomEvent::seq).toList());

        mailbox.offer(joined("r1", 4, "fay"));
        mailbox.recordChanged();
        Mailbox.Pending changed = mailbox.drain();
        assertNull(changed.onlyEvent(), "the record changed too: the reader takes the general path");
        assertEquals(List.of(4L), changed.events(RoomId.of("r1")).stream().map(RoomEvent::seq).toList());

        mailbox.offer(joined("r1", 5, "ann"));
        assertNull(mailbox.drain().onlyEvent(), "the reader's own join is followed by the general path");
        assertTrue(mailbox.drain().isEmpty());
    }
}
