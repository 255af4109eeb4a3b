package io.parley.adapters.ws;

import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UTF-8 check follows client frames across any chunking: it passes them, joins fragmented text, refuses bad text. */
class Utf8CheckTest {
    private static final byte[] KEY = {0x11, (byte) 0x8e, 0x5a, (byte) 0xc3};
    private static final int[] CHUNKS = {1, 2, 3, 7, 125, 4096, Integer.MAX_VALUE};

    @Test
    void whole_text_frames_of_every_length_form_binary_and_control_frames_pass_unchanged_whatever_the_chunks() {
        byte[] text300 = "é€😀".repeat(30).getBytes(StandardCharsets.UTF_8);
        byte[] text70k = "ü".repeat(35_000).getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc0};
        byte[] stream = concat(frame(true, 1, "hi".getBytes(StandardCharsets.UTF_8), KEY), frame(true, 1, text300, KEY),
                frame(true, 2, notUtf8, KEY), frame(true, 9, notUtf8, KEY), frame(true, 1, text70k, KEY),
                frame(false, 2, notUtf8, KEY), frame(true, 0, notUtf8, KEY)); // a binary message in fragments
        for (int chunk : CHUNKS) {
            assertArrayEquals(stream, readAll(stream, chunk, stream.length), "chunks of " + chunk);
        }
    }

    @Test
    void a_read_of_whole_frames_passes_as_it_came_and_a_cut_header_waits_for_its_rest() {
        byte[] whole = concat(frame(true, 1, "hello".getBytes(StandardCharsets.UTF_8), KEY),
                frame(true, 1, "world".getBytes(StandardCharsets.UTF_8), KEY));
        Deque<byte[]> reads = new ArrayDeque<>();
        reads.add(whole);
        reads.add(Arrays.copyOf(whole, 3)); // a frame's header cut after its third byte
        reads.add(Arrays.copyOfRange(whole, 3, whole.length));
        Utf8Check check = new Utf8Check(new DataReader(reads::poll), 1 << 20);
        assertArrayEquals(whole, check.get(), "a read whose frames are whole, as it came");
        assertArrayEquals(whole, check.get(), "the cut header is held, then passes with the rest of the stream");
    }

    @Test
    void unmasked_frames_are_checked_as_masked_ones_are() {
        byte[] good = frameWithoutMask(1, "grüße 😀".getBytes(StandardCharsets.UTF_8));
        for (int chunk : CHUNKS) {
            assertArrayEquals(good, readAll(good, chunk, good.length), "chunks of " + chunk);
        }
        byte[] bad = frameWithoutMask(1, new byte[] {'a', (byte) 0xc0, (byte) 0xaf});
        assertThrows(Utf8Check.InvalidUtf8.class, () -> readAll(bad, 2, bad.length));
    }

    @Test
    void a_fragmented_text_message_reaches_helidon_as_one_frame_after_the_control_frames_between_its_parts() {
        byte[] text = "café € 😀".getBytes(StandardCharsets.UTF_8);
        int split = 5; // inside 'é': a character cut across fragments
        byte[] ping = frame(true, 9, new byte[] {1, 2}, KEY);
        byte[] stream = concat(frame(false, 1, Arrays.copyOf(text, split), KEY), ping,
                frame(false, 0, Arrays.copyOfRange(text, split, 9), KEY),
                frame(true, 0, Arrays.copyOfRange(text, 9, text.length), KEY),
                frame(true, 1, "next".getBytes(StandardCharsets.UTF_8), KEY));
        byte[] expected = concat(ping, frame(true, 1, text, new byte[4]),
                frame(true, 1, "next".getBytes(StandardCharsets.UTF_8), KEY));
        for (int chunk : CHUNKS) {
            assertArrayEquals(expected, readAll(stream, chunk, expected.length), "chunks of " + chunk);
        }
    }

    @Test
    void a_fragmented_message_past_the_limit_is_handed_on_as_a_frame_too_large_to_take() {
        byte[] part = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(false, 1, part, KEY));
        for (int i = 0; i < 20; i++) {
            stream.writeBytes(frame(false, 0, part, KEY));
        }
        DataReader checked = new Utf8Check(socket(stream.toByteArray(), 64), 1000).reader();
        checked.pullData();
        byte[] head = checked.readBytes(4);
        assertEquals((byte) 0x81, head[0], "a final text frame");
        assertEquals((byte) (0x80 | 126), head[1], "with a 16-bit length");
        int length = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        assertTrue(length > 1000, "longer than the limit: " + length);
    }

    @Test
    void invalid_bytes_a_character_cut_at_the_message_end_overlongs_and_surrogates_are_refused() {
        byte[][] bad = {
                {'a', (byte) 0xff},
                {'a', (byte) 0xe2, (byte) 0x82}, // ends inside a character
                {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a UTF-16 surrogate
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] payload : bad) {
            byte[] stream = frame(true, 1, payload, KEY);
            assertThrows(Utf8Check.InvalidUtf8.class, () -> readAll(stream, 1, stream.length), Arrays.toString(payload));
        }
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] cut = concat(frame(false, 1, Arrays.copyOf(euro, 1), KEY), frame(true, 0, Arrays.copyOfRange(euro, 1, 2), KEY));
        assertThrows(Utf8Check.InvalidUtf8.class, () -> readAll(cut, 64, 1));
    }

    private static DataReader socket(byte[] stream, int chunk) {
        Deque<byte[]> chunks = new ArrayDeque<>();
        for (int i = 0; i < stream.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(stream, i, (int) Math.min(stream.length, (long) i + chunk)));
        }
        return new DataReader(chunks::poll); // null at the end: the stream is over
    }

    private static byte[] readAll(byte[] stream, int chunk, int expected) {
        DataReader checked = new Utf8Check(socket(stream, chunk), 1 << 20).reader();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < expected) {
            checked.pullData();
            out.writeBytes(checked.readBytes(checked.available()));
        }
        return out.toByteArray();
    }

    /** A masked client frame in the shortest length form. */
    static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        out.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    /** An unmasked final frame of a short payload (a server's frame, as a proxy might pass one on). */
    private static byte[] frameWithoutMask(int opcode, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
