package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ordering rule every session and feed shares, without sockets, threads or a store. */
class RoomCursorTest {

    @Test
    void the_next_event_goes_out_a_later_one_waits_for_the_gap_and_duplicates_are_dropped() {
        RoomCursor<String> cursor = new RoomCursor<>(4);

        assertEquals(RoomCursor.Arrival.DUPLICATE, cursor.offer(4, "old"));
        assertEquals(RoomCursor.Arrival.AHEAD, cursor.offer(7, "seven"));
        assertEquals(2, cursor.gap(), "5 and 6 are missing");
        assertEquals(List.of(), cursor.ready(10));
        assertEquals(RoomCursor.Arrival.DUPLICATE, cursor.offer(7, "seven again"));

        assertEquals(RoomCursor.Arrival.NEXT, cursor.offer(5, "five"));
        assertEquals(List.of("five"), cursor.ready(10));
        assertEquals(1, cursor.gap());
        cursor.offer(6, "six");
        assertEquals(List.of("six", "seven"), cursor.ready(10));
        assertEquals(7, cursor.position());
        assertFalse(cursor.waiting());
    }

    @Test
    void ready_hands_out_at_most_max_and_skip_to_drops_what_the_reader_already_has() {
        RoomCursor<Long> cursor = new RoomCursor<>(0);
        LongStream.rangeClosed(1, 5).forEach(seq -> cursor.offer(seq, seq));

        assertEquals(List.of(1L, 2L), cursor.ready(2));
        cursor.skipTo(4);
        assertEquals(List.of(5L), cursor.ready(10));
        cursor.skipTo(3);
        assertEquals(5, cursor.position(), "never moves back");
    }

    @Test
    void a_lone_waiting_event_behaves_as_one_in_the_map() {
        RoomCursor<String> cursor = new RoomCursor<>(4);
        assertEquals(RoomCursor.Arrival.AHEAD, cursor.offer(6, "six"));
        assertEquals(RoomCursor.Arrival.DUPLICATE, cursor.offer(6, "six again"));
        assertEquals(1, cursor.waitingCount());
        assertEquals(1, cursor.gap());
        assertFalse(cursor.advanceIfNext(5), "six waits: five must go through offer");
        assertEquals(List.of(), cursor.ready(10));

        assertEquals(RoomCursor.Arrival.NEXT, cursor.offer(5, "five"));
        assertEquals(2, cursor.waitingCount());
        assertEquals(List.of("five"), cursor.ready(1));
        assertEquals(List.of("six"), cursor.ready(1));
        assertFalse(cursor.waiting());

        cursor.offer(7, "seven");
        assertEquals(List.of(), cursor.ready(0), "max 0 hands out nothing");
        cursor.skipTo(7);
        assertFalse(cursor.waiting(), "skipping past the lone event drops it");
        cursor.offer(9, "nine");
        cursor.clear();
        assertFalse(cursor.waiting());
        assertTrue(cursor.advanceIfNext(8));
    }

    /**
     * Events 1..n arrive shuffled, some twice, some never (they are lost on the way and must be read from
     * the "store" when a gap is found); whenever the owner reads a gap it may be interleaved with more
     * arrivals. Whatever the order, the reader gets 1..n exactly once, in order.
     */
    @Test
    void the_fast_path_takes_only_the_next_event_and_only_while_nothing_waits() {
        RoomCursor<Long> cursor = new RoomCursor<>(4);
        assertFalse(cursor.advanceIfNext(4), "a duplicate");
        assertFalse(cursor.advanceIfNext(6), "ahead of a gap");
        assertTrue(cursor.advanceIfNext(5));
        assertEquals(5, cursor.position());
        cursor.offer(7, 7L);
        assertFalse(cursor.advanceIfNext(6), "7 waits: 6 must go through offer so 7 follows it");
        assertEquals(RoomCursor.Arrival.NEXT, cursor.offer(6, 6L));
        assertEquals(List.of(6L, 7L), cursor.ready(Integer.MAX_VALUE));
        assertTrue(cursor.advanceIfNext(8));
    }

    @Test
    void any_arrival_order_with_losses_and_duplicates_gives_every_event_once_in_order() {
        for (long seed = 1; seed <= 500; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(60);
            List<Long> arrivals = new ArrayList<>();
            for (long seq = 1; seq <= n; seq++) {
                int copies = random.nextInt(10) == 0 ? 0 : random.nextInt(8) == 0 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    arrivals.add(seq);
                }
            }
            Collections.shuffle(arrivals, random);
            RoomCursor<Long> cursor = new RoomCursor<>(0);
            List<Long> delivered = new ArrayList<>();
            for (long seq : arrivals) {
                // the owners' fast path: taken whenever nothing waits and the event is the next one
                if (random.nextBoolean() && cursor.advanceIfNext(seq)) {
                    delivered.add(seq);
                } else if (cursor.offer(seq, seq) == RoomCursor.Arrival.NEXT || random.nextBoolean()) {
                    delivered.addAll(cursor.ready(Integer.MAX_VALUE));
                }
                if (cursor.gap() > 0 && random.nextInt(4) == 0) {
                    readGap(cursor, random.nextInt(3) + 1);
                    delivered.addAll(cursor.ready(Integer.MAX_VALUE));
                }
            }
            while (cursor.position() < n) { // the last events may have been lost: the owner reads after its position
                readGap(cursor, random.nextInt(3) + 1, n);
                delivered.addAll(cursor.ready(Integer.MAX_VALUE));
            }
            assertEquals(LongStream.rangeClosed(1, n).boxed().toList(), delivered, "seed " + seed);
            assertTrue(!cursor.waiting(), "seed " + seed);
        }
    }

    /** What an owner does on a gap: reads at most {@code limit} events after its position from the store. */
    private static void readGap(RoomCursor<Long> cursor, int limit) {
        readGap(cursor, limit, cursor.position() + cursor.gap());
    }

    private static void readGap(RoomCursor<Long> cursor, int limit, long last) {
        for (long seq = cursor.position() + 1; seq <= Math.min(last, cursor.position() + limit); seq++) {
            cursor.offer(seq, seq);
        }
    }
}
