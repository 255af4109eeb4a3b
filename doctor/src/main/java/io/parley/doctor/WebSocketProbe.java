package io.parley.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of a WebSocket (RFC 6455), as much as the doctor needs: the upgrade request, frames read
 * after it, pings answered, a close sent.
 */
final class WebSocketProbe {
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return a close frame's code, or 1005 when it has none */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }
    }

    private WebSocketProbe() {
    }

    /** Sends the upgrade request for {@code path} (with its query) and reads the answer's head. */
    static RawHttp.Head upgrade(RawHttp http, Target target, String path, Map<String, String> extra,
                                long deadlineNanos) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extra);
        http.send(target, "GET", path, headers);
        return http.head(deadlineNanos);
    }

    /** Reads the next frame (control frames included). */
    static Frame next(RawHttp http, long deadlineNanos) throws IOException {
        int first = http.read(deadlineNanos);
        int second = http.read(deadlineNanos);
        long length = second & 0x7F;
        if (length == 126) {
            byte[] bytes = http.readFully(2, deadlineNanos);
            length = (bytes[0] & 0xFF) << 8 | bytes[1] & 0xFF;
        } else if (length == 127) {
            byte[] bytes = http.readFully(8, deadlineNanos);
            length = 0;
            for (byte b : bytes) {
                length = length << 8 | b & 0xFF;
            }
        }
        if (length > 1 << 20) {
            throw new IOException("a frame of " + length + " bytes: not what Parley sends");
        }
        byte[] mask = (second & 0x80) != 0 ? http.readFully(4, deadlineNanos) : null;
        byte[] payload = http.readFully((int) length, deadlineNanos);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Frame(first & 0x0F, payload);
    }

    /** Sends a masked frame, as a client must. */
    static void send(RawHttp http, int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        http.write(frame);
    }

    /** Sends a normal close (1000). */
    static void close(RawHttp http) {
        try {
            send(http, CLOSE, new byte[] {0x03, (byte) 0xE8});
        } catch (IOException ignored) {
            // the probe is over either way
        }
    }
}
