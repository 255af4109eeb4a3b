package io.parley.adapters.persistence.memory;

import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A room's messages, held as records, answer every range and id as the sorted map and hash map they replaced. */
class RoomMessagesTest {
    private static final RoomId ROOM = RoomId.of("r");

    @Property(tries = 300)
    void ranges_and_ids_match_a_sorted_map(@ForAll @Size(max = 60) List<@IntRange(min = 1, max = 5) Integer> gaps,
                                          @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 80) Integer> edited,
                                          @ForAll @IntRange(min = -2, max = 300) int anchor) {
        RoomMessages messages = new RoomMessages(ROOM);
        TreeMap<Long, Message> model = new TreeMap<>();
        long seq = 0;
        for (int gap : gaps) { // other events take the seqs in between
            seq += gap;
            Message message = message(seq);
            messages.add(message);
            model.put(seq, message);
        }
        for (int index : edited) {
            if (index < model.size()) {
                Message changed = new ArrayList<>(model.values()).get(index).edited("edited " + index, Instant.EPOCH);
                messages.replace(changed);
                model.put(changed.seq(), changed);
            }
        }
        assertEquals(List.copyOf(model.tailMap((long) anchor, false).values()), List.copyOf(messages.after(anchor)));
        assertEquals(List.copyOf(model.headMap((long) anchor, false).descendingMap().values()),
                List.copyOf(messages.before(anchor)));
        assertEquals(List.copyOf(model.values()), List.copyOf(messages.all()));
        for (Message expected : model.values()) {
            assertEquals(expected, messages.get(expected.id()));
            assertTrue(messages.contains(expected.id()));
        }
        assertNull(messages.get(MessageId.of("m0")));
        assertFalse(messages.contains(MessageId.of("m" + (seq + 1))));
    }

    @Test
    void ids_are_found_among_many_whose_hashes_collide_and_after_the_table_grows() {
        RoomMessages messages = new RoomMessages(ROOM);
        // "Aa" and "BB" have the same String hash, and so the same hash of their bytes: 2^12 ids, one hash
        List<String> ids = new ArrayList<>(List.of(""));
        for (int i = 0; i < 12; i++) {
            List<String> longer = new ArrayList<>();
            ids.forEach(id -> {
                longer.add(id + "Aa");
                longer.add(id + "BB");
            });
            ids = longer;
        }
        for (int i = 0; i < ids.size(); i++) {
            messages.add(message(i + 1, ids.get(i)));
        }
        for (int i = 0; i < ids.size(); i += 97) {
            assertEquals(i + 1, messages.get(MessageId.of(ids.get(i))).seq());
        }
        assertNull(messages.get(MessageId.of("AaAa")));
        messages.clear();
        assertNull(messages.get(MessageId.of(ids.getFirst())));
        assertEquals(List.of(), messages.all());
    }

    @Test
    void the_ends_of_the_seq_range_are_ranges_too() {
        RoomMessages messages = new RoomMessages(ROOM);
        messages.add(message(1));
        messages.add(message(3));
        assertEquals(List.of(), messages.after(Long.MAX_VALUE));
        assertEquals(2, messages.after(Long.MIN_VALUE).size());
        assertEquals(2, messages.before(Long.MAX_VALUE).size());
        assertEquals(3, messages.before(Long.MAX_VALUE).getFirst().seq(), "newest first");
        assertTrue(messages.before(Long.MIN_VALUE).isEmpty());
    }

    @Test
    void an_old_seq_a_taken_id_or_a_replacement_of_none_is_refused() {
        RoomMessages messages = new RoomMessages(ROOM);
        messages.add(message(2));
        assertThrows(IllegalArgumentException.class, () -> messages.add(message(2)));
        assertThrows(IllegalArgumentException.class, () -> messages.add(message(1)));
        assertThrows(IllegalArgumentException.class, () -> messages.add(message(5, "m2")));
        assertThrows(IllegalArgumentException.class, () -> messages.replace(message(3)));
        assertThrows(IllegalArgumentException.class, () -> messages.replace(message(2, "other")));
    }

    private static Message message(long seq) {
        return message(seq, "m" + seq);
    }

    private static Message message(long seq, String id) {
        return new Message(MessageId.of(id), ROOM, seq, UserId.of("u"), "U", "body " + seq, Optional.empty(),
                Instant.EPOCH, Optional.empty(), false);
    }
}
