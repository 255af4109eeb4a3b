package io.parley.adapters.ws;

import io.helidon.common.buffers.DataReader;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What a client's text messages must be before Helidon sees their bytes. Helidon 4.1.2 decodes each text
 * frame on its own with replacement characters, so a client's broken bytes became U+FFFD in a stored
 * message, and a character split across the fragments of one message was broken in two. This supplier sits
 * between the socket's reader and the one Helidon's WebSocket connection reads, follows the client's frames
 * as they pass (header, mask, payload length), and:
 * <ul>
 *   <li>runs the payload of every text message through a UTF-8 validator that keeps its state across reads
 *       and fragments (RFC 6455 section 8.1; RFC 3629: no overlong forms, no surrogates, nothing above
 *       U+10FFFF); a message must not end inside a character. The chunk in which a bad byte is found is
 *       withheld and {@link InvalidUtf8} thrown instead, so Helidon never decodes the message; the
 *       connection then closes it with 1007;</li>
 *   <li>joins a text message sent in fragments into one frame (masked with a zero key, so its bytes are the
 *       plain text) once its last fragment has arrived, so Helidon decodes it whole. Control frames between
 *       the fragments pass at once, as they arrive. A message that grows past {@code maxMessage} bytes is
 *       handed on as a frame header of its full size, which Helidon refuses with 1009 as it does any frame
 *       over its limit.</li>
 * </ul>
 * Everything else (unfragmented frames, binary messages, control frames) passes unchanged, and a read whose
 * bytes all pass as they came returns the socket's chunk itself.
 */
final class Utf8Check implements Supplier<byte[]> {
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final byte[] NO_BYTES = new byte[0];

    /** A text message held bytes that are not UTF-8: the connection closes with 1007. */
    static final class InvalidUtf8 extends RuntimeException {
        InvalidUtf8() {
            super("a text message is not valid UTF-8", null, false, false);
        }
    }

    private final DataReader source;
    private final int maxMessage;

    // The frame being read: its header (held until complete), its payload.
    private final byte[] header = new byte[14];
    private int headerRead;
    private long payloadLeft;
    private long payloadAt;
    /** The frame's masking key, its first byte in the high bits; 0 when the frame is not masked. */
    private int mask;
    private boolean checking;
    private boolean joining;
    private boolean finalFrame;
    private boolean inText;
    // A fragmented text message being joined, unmasked.
    private byte[] joined = NO_BYTES;
    private int joinedLength;
    private boolean fragmented;
    // What this read hands on: while every byte passes as it came, only a count of the chunk's bytes
    // (no copy, no buffer held between reads); from the first byte that differs, a copy.
    private byte[] chunk = NO_BYTES;
    private byte[] out;
    private int outLength;
    // The UTF-8 validator.
    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    /**
     * @param source     the socket's reader
     * @param maxMessage the largest frame Helidon accepts; a joined message beyond it is refused (1009)
     */
    Utf8Check(DataReader source, int maxMessage) {
        this.source = source;
        this.maxMessage = maxMessage;
    }

    /** @return a reader over this check, for Helidon's WebSocket connection */
    DataReader reader() {
        return new DataReader(this);
    }

    @Override
    public byte[] get() {
        while (true) {
            if (source.available() == 0) {
                source.pullData(); // blocks; the end of the stream is an exception, as from the socket
            }
            byte[] read = source.readBytes(source.available());
            chunk = read;
            out = null;
            outLength = 0;
            for (byte b : read) {
                step(b);
            }
            byte[] copy = out;
            chunk = NO_BYTES;
            out = null;
            if (copy == null && outLength == read.length) {
                return read; // the common case: whole frames that pass as they are
            }
            if (outLength > 0) {
                return Arrays.copyOf(copy == null ? read : copy, outLength);
            }
            // Everything read was held (a header in parts, fragments being joined): read on.
        }
    }

    private void step(byte b) {
        if (payloadLeft > 0) {
            payload(b);
            return;
        }
        header[headerRead++] = b; // held until the header is complete: then it passes, or not
        if (headerRead < headerLength()) {
            return;
        }
        startFrame();
        if (payloadLeft == 0) {
            endFrame();
        }
    }

    /** @return how many header bytes this frame has, as far as the bytes read so far tell */
    private int headerLength() {
        if (headerRead < 2) {
            return 2;
        }
        int len7 = header[1] & 0x7F;
        int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + lengthBytes + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private void startFrame() {
        int opcode = header[0] & 0x0F;
        boolean fin = (header[0] & 0x80) != 0;
        boolean masked = (header[1] & 0x80) != 0;
        int len7 = header[1] & 0x7F;
        int at = 2;
        long length;
        if (len7 == 126) {
            length = ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
            at = 4;
        } else if (len7 == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (header[2 + i] & 0xFFL);
            }
            at = 10;
        } else {
            length = len7;
        }
        mask = masked ? (header[at] & 0xFF) << 24 | (header[at + 1] & 0xFF) << 16 | (header[at + 2] & 0xFF) << 8
                | (header[at + 3] & 0xFF) : 0;
        boolean control = (opcode & 0x8) != 0;
        if (opcode == TEXT) {
            inText = true;
            fragmented = !fin;
            need = 0;
            lower = 0x80;
            upper = 0xBF;
            joinedLength = 0;
        } else if (opcode == BINARY) {
            inText = false;
        }
        checking = !control && inText && (opcode == TEXT || opcode == CONTINUATION);
        joining = checking && fragmented;
        finalFrame = !control && fin;
        if (!joining) {
            emit(header, 0, headerRead); // this frame passes as it is
        }
        payloadLeft = length < 0 ? Long.MAX_VALUE : length; // a negative 64-bit length: Helidon refuses it
        payloadAt = 0;
        headerRead = 0;
    }

    private void payload(byte b) {
        int plain = b;
        if (checking) {
            plain = b ^ (mask >>> (24 - 8 * (int) (payloadAt & 3)));
            if (!accept(plain & 0xFF)) {
                throw new InvalidUtf8();
            }
        }
        if (joining) {
            join((byte) plain);
        } else {
            emit(b);
        }
        payloadAt++;
        if (--payloadLeft == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        if (checking && finalFrame) {
            if (need != 0) {
                throw new InvalidUtf8(); // the message ends inside a character
            }
            inText = false;
            if (joining) {
                emitJoined();
            }
        }
        checking = false;
        joining = false;
    }

    private void join(byte plain) {
        if (joinedLength == joined.length) {
            if (joinedLength > maxMessage) {
                // Past the limit: Helidon refuses a frame of this size on its header alone (1009).
                emitFrameHeader(joinedLength + 1L + payloadLeft);
                emit(joined, 0, joinedLength);
                joining = false;
                fragmented = false;
                emit(plain);
                return;
            }
            joined = Arrays.copyOf(joined, Math.max(256, joinedLength * 2));
        }
        joined[joinedLength++] = plain;
    }

    private void emitJoined() {
        emitFrameHeader(joinedLength);
        emit(joined, 0, joinedLength);
        joinedLength = 0;
        fragmented = false;
        if (joined.length > 4096) {
            joined = NO_BYTES; // a large message's buffer is not kept for the connection's life
        }
    }

    /** A final, masked text frame header with a zero mask key: the payload that follows is the plain text. */
    private void emitFrameHeader(long length) {
        emit((byte) (0x80 | TEXT));
        if (length < 126) {
            emit((byte) (0x80 | length));
        } else if (length < 65_536) {
            emit((byte) (0x80 | 126));
            emit((byte) (length >>> 8));
            emit((byte) length);
        } else {
            emit((byte) (0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                emit((byte) (length >>> shift));
            }
        }
        emit(new byte[4], 0, 4);
    }

    private void emit(byte b) {
        if (out == null) {
            if (outLength < chunk.length && chunk[outLength] == b) {
                outLength++; // the same byte at the same place: what is handed on is still the chunk's start
                return;
            }
            out = Arrays.copyOf(chunk, Math.max(64, chunk.length + 16)); // its first outLength bytes are right
        } else if (outLength == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[outLength++] = b;
    }

    private void emit(byte[] bytes, int from, int length) {
        int i = 0;
        while (out == null && i < length) {
            emit(bytes[from + i++]);
        }
        if (i < length) {
            int rest = length - i;
            if (outLength + rest > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + rest));
            }
            System.arraycopy(bytes, from + i, out, outLength, rest);
            outLength += rest;
        }
    }

    /** One byte through the validator. */
    private boolean accept(int b) {
        if (need == 0) {
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                lower = b == 0xE0 ? 0xA0 : 0x80;
                upper = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                lower = b == 0xF0 ? 0x90 : 0x80;
                upper = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            return true;
        }
        if (b < lower || b > upper) {
            return false;
        }
        lower = 0x80;
        upper = 0xBF;
        need--;
        return true;
    }
}
