package io.parley.adapters.ws;

import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The UTF-8 check follows client frames across any chunking and passes every byte on unchanged. */
class Utf8CheckTest {
    private static final byte[] KEY = {0x11, (byte) 0x8e, 0x5a, (byte) 0xc3};

    @Test
    void valid_text_of_every_length_form_binary_and_control_frames_pass_unchanged_whatever_the_chunks() {
        byte[] text300 = "é€😀".repeat(30).getBytes(StandardCharsets.UTF_8);
        byte[] text70k = "ü".repeat(35_000).getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc0};
        byte[] stream = concat(frame(true, 1, "hi".getBytes(StandardCharsets.UTF_8)), frame(true, 1, text300),
                frame(true, 2, notUtf8), // binary: any bytes
                frame(false, 1, Arrays.copyOf(text300, 7)), frame(true, 9, notUtf8), // a ping between fragments
                frame(true, 0, Arrays.copyOfRange(text300, 7, text300.length)), frame(true, 1, text70k),
                frame(false, 2, notUtf8), frame(true, 0, notUtf8)); // a binary message in fragments
        for (int chunk : new int[] {1, 2, 3, 7, 125, 4096, stream.length}) {
            assertArrayEquals(stream, readAll(stream, chunk), "chunks of " + chunk);
        }
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
            byte[] stream = frame(true, 1, payload);
            assertThrows(Utf8Check.InvalidUtf8.class, () -> readAll(stream, 1), Arrays.toString(payload));
        }
        // Cut across fragments it is still one character; cut at the message's end it is not.
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] split = concat(frame(false, 1, Arrays.copyOf(euro, 1)), frame(true, 0, Arrays.copyOfRange(euro, 1, 3)));
        assertArrayEquals(split, readAll(split, 5));
        byte[] cut = concat(frame(false, 1, Arrays.copyOf(euro, 1)), frame(true, 0, Arrays.copyOfRange(euro, 1, 2)));
        assertThrows(Utf8Check.InvalidUtf8.class, () -> readAll(cut, 64));
    }

    private static byte[] readAll(byte[] stream, int chunk) {
        Deque<byte[]> chunks = new ArrayDeque<>();
        for (int i = 0; i < stream.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk)));
        }
        DataReader socket = new DataReader(chunks::poll); // null at the end: the stream is over
        DataReader checked = new Utf8Check(socket).reader();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < stream.length) {
            checked.pullData();
            out.writeBytes(checked.readBytes(checked.available()));
        }
        return out.toByteArray();
    }

    /** A masked client frame in the shortest length form. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
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
        out.writeBytes(KEY);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ KEY[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
