package io.parley.adapters.ws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text frame headers the sink writes in front of shared payloads (RFC 6455 §5.2, server frames unmasked). */
class WsSinkFramingTest {
    @Test
    void payloads_under_126_bytes_carry_their_length_in_the_second_byte() {
        assertArrayEquals(new byte[] {(byte) 0x81, 125}, header(125));
        assertArrayEquals(new byte[] {(byte) 0x81, 0}, header(0));
    }

    @Test
    void payloads_from_126_bytes_to_64_KiB_use_a_16_bit_length() {
        assertArrayEquals(new byte[] {(byte) 0x81, 126, 0, 126}, header(126));
        assertArrayEquals(new byte[] {(byte) 0x81, 126, (byte) 0xFF, (byte) 0xFF}, header(65_535));
    }

    @Test
    void larger_payloads_use_a_64_bit_length() {
        assertArrayEquals(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}, header(65_536));
    }

    @Test
    void a_text_frame_is_its_header_then_the_payload_unchanged() {
        byte[] payload = "{\"type\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] frame = WsSink.textFrame(payload);
        assertEquals(2 + payload.length, frame.length);
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) payload.length}, java.util.Arrays.copyOf(frame, 2));
        assertArrayEquals(payload, java.util.Arrays.copyOfRange(frame, 2, frame.length));
    }

    private static byte[] header(int payloadLength) {
        byte[] out = new byte[WsSink.headerLength(payloadLength)];
        assertEquals(out.length, WsSink.writeHeader(out, 0, payloadLength));
        return out;
    }
}
