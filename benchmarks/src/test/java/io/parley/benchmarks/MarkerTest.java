package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MarkerTest {
    @Test
    void a_message_is_found_by_its_marker_in_the_raw_bytes() {
        byte[] frame = "{\"type\":\"message\",\"room\":\"r#1\",\"seq\":3,\"message\":{\"body\":\"#4711# xxx\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(4711, ChatLoad.marker(frame, 0, frame.length), "a lone # before the marker is skipped");
        assertEquals(-1, ChatLoad.marker("{\"type\":\"presence\"}".getBytes(StandardCharsets.UTF_8), 0, 19));
    }

    @Test
    void client_frames_are_masked_with_a_zero_key_and_carry_their_length() {
        var small = WireLoop.frame(0x1, new byte[5]);
        assertEquals((byte) 0x81, small.get(0));
        assertEquals((byte) (0x80 | 5), small.get(1));
        assertEquals(2 + 4 + 5, small.remaining());
        var medium = WireLoop.frame(0x1, new byte[300]);
        assertEquals((byte) (0x80 | 126), medium.get(1));
        assertEquals(300, medium.getShort(2));
        assertEquals(4 + 4 + 300, medium.remaining());
    }
}
