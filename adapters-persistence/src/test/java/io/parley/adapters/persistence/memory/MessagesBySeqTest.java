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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The array of a room's messages answers every range as the sorted map it replaced did. */
class MessagesBySeqTest {
    private static final RoomId ROOM = RoomId.of("r");

    @Property(tries = 300)
    void ranges_after_and_before_any_seq_match_a_sorted_map(@ForAll @Size(max = 40) List<@IntRange(min = 1, max = 5) Integer> gaps,
                                                            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 60) Integer> edited,
                                                            @ForAll @IntRange(min = -2, max = 200) int anchor) {
        MessagesBySeq messages = new MessagesBySeq();
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
    }

    @Test
    void the_ends_of_the_seq_range_are_ranges_too() {
        MessagesBySeq messages = new MessagesBySeq();
        messages.add(message(1));
        messages.add(message(3));
        assertEquals(List.of(), messages.after(Long.MAX_VALUE));
        assertEquals(2, messages.after(Long.MIN_VALUE).size());
        assertEquals(2, messages.before(Long.MAX_VALUE).size());
        assertEquals(3, messages.before(Long.MAX_VALUE).getFirst().seq(), "newest first");
        assertTrue(messages.before(Long.MIN_VALUE).isEmpty());
    }

    @Test
    void a_message_not_newer_than_the_last_or_a_replacement_of_none_is_refused() {
        MessagesBySeq messages = new MessagesBySeq();
        messages.add(message(2));
        assertThrows(IllegalArgumentException.class, () -> messages.add(message(2)));
        assertThrows(IllegalArgumentException.class, () -> messages.add(message(1)));
        assertThrows(IllegalArgumentException.class, () -> messages.replace(message(3)));
    }

    private static Message message(long seq) {
        return new Message(MessageId.of("m" + seq), ROOM, seq, UserId.of("u"), "U", "body " + seq, Optional.empty(),
                Instant.EPOCH, Optional.empty(), false);
    }
}
