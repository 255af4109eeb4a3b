package io.parley.adapters.ws;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteCreditTest {
    private final AtomicLong nonces = new AtomicLong(1000);
    private final WriteCredit credit = new WriteCredit(nonces::incrementAndGet, 0);

    @Test
    void a_client_that_does_not_answer_gets_no_more_than_the_limit_written_inline() {
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT, credit.writable());
        int written = 0;
        while (credit.writable() >= 200) {
            if (credit.markAfter(200)) {
                credit.newMark();
            }
            written += 200;
        }
        assertTrue(written <= WriteCredit.UNCONFIRMED_LIMIT, "wrote " + written);
        assertTrue(written > WriteCredit.UNCONFIRMED_LIMIT - 200, "wrote " + written);
    }

    @Test
    void a_mark_follows_every_few_kilobytes_and_its_answer_returns_the_bytes_before_it() {
        assertFalse(credit.markAfter(WriteCredit.MARK_EVERY - 1));
        assertTrue(credit.markAfter(1));
        long first = credit.newMark();
        assertFalse(credit.markAfter(4000));
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT - WriteCredit.MARK_EVERY - 4000, credit.writable());

        credit.answered(first);
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT - 4000, credit.writable(), "only the bytes before the mark");
        assertTrue(credit.markAfter(WriteCredit.MARK_EVERY), "the next mark once 8 KiB more went out");
    }

    @Test
    void one_mark_is_out_at_a_time_and_a_forged_or_repeated_answer_confirms_nothing() {
        credit.markAfter(WriteCredit.MARK_EVERY);
        long first = credit.newMark();
        assertFalse(credit.markAfter(WriteCredit.MARK_EVERY), "no second ping to a client that is behind");
        int before = credit.writable();

        credit.answered(first + 7); // a payload the server never sent
        credit.answered(0);
        assertEquals(before, credit.writable());

        credit.answered(first);
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT - WriteCredit.MARK_EVERY, credit.writable());
        assertTrue(credit.markAfter(1));
        long second = credit.newMark();
        credit.answered(first); // already settled: nothing moves
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT - WriteCredit.MARK_EVERY - 1, credit.writable());
        credit.answered(second);
        assertEquals(WriteCredit.UNCONFIRMED_LIMIT, credit.writable());
    }

    @Test
    void a_phase_brings_the_first_mark_sooner_and_the_next_ones_every_few_kilobytes_after_it() {
        WriteCredit phased = new WriteCredit(nonces::incrementAndGet, 3000);
        assertFalse(phased.markAfter(WriteCredit.MARK_EVERY - 3001));
        assertTrue(phased.markAfter(1));
        long first = phased.newMark();
        phased.answered(first);
        assertFalse(phased.markAfter(WriteCredit.MARK_EVERY - 1));
        assertTrue(phased.markAfter(1));
        assertThrows(IllegalArgumentException.class, () -> new WriteCredit(nonces::incrementAndGet, WriteCredit.MARK_EVERY));
    }

    @Test
    void connections_sent_the_same_frames_get_their_marks_with_different_frames() {
        int connections = 1000;
        int frame = 180; // a message event of a room, the same bytes to every member
        int framesPerMark = WriteCredit.MARK_EVERY / frame + 1;
        int[] firstMarkAt = new int[framesPerMark + 1];
        for (int c = 0; c < connections; c++) {
            WriteCredit credit = new WriteCredit();
            int frames = 1;
            while (!credit.markAfter(frame)) {
                frames++;
            }
            firstMarkAt[frames]++;
        }
        for (int frames = 1; frames <= framesPerMark; frames++) {
            // about 22 connections a frame; without phases all 1,000 would get their mark with the same one
            assertTrue(firstMarkAt[frames] <= 60, frames + ": " + firstMarkAt[frames]);
        }
    }

    @Test
    void a_closing_session_appends_no_more_marks() {
        credit.stop();
        assertFalse(credit.markAfter(4 * WriteCredit.MARK_EVERY));
    }
}
