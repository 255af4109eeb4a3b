package io.parley.adapters.ws;

import io.helidon.common.buffers.DataReader;

import java.util.function.Supplier;

/**
 * Checks that every text message a client sends is valid UTF-8 before Helidon sees its bytes (RFC 6455
 * section 8.1: invalid UTF-8 fails the connection with 1007). Helidon 4.1.2 decodes a text frame with
 * replacement characters, so a client's broken bytes became U+FFFD in a stored message. This supplier sits
 * between the socket's reader and the one Helidon's WebSocket connection reads: it follows the frames as
 * they pass (header, mask, payload length), unmasks the payload of text messages (their continuation
 * frames included, control frames between them skipped) and runs it through a UTF-8 validator that keeps
 * its state across reads and frames; at the end of a message a character must be complete. The chunk in
 * which a bad byte is found is withheld and {@link InvalidUtf8} thrown instead, so Helidon never decodes
 * the message; the connection then closes it with 1007. Bytes are passed on unchanged: nothing is copied
 * but the chunk itself, and binary and control frames are only skipped over.
 */
final class Utf8Check implements Supplier<byte[]> {
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int BINARY = 0x2;

    /** A text message held bytes that are not UTF-8: the connection closes with 1007. */
    static final class InvalidUtf8 extends RuntimeException {
        InvalidUtf8() {
            super("a text message is not valid UTF-8", null, false, false);
        }
    }

    private final DataReader source;

    // Where the frame parser is.
    private final byte[] header = new byte[14];
    private int headerRead;
    private long payloadLeft;
    private long payloadAt;
    private final byte[] mask = new byte[4];
    private boolean masked;
    private boolean checking;
    private boolean finalFrame;
    private boolean inText;
    // The UTF-8 validator.
    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    Utf8Check(DataReader source) {
        this.source = source;
    }

    /** @return a reader over this check, for Helidon's WebSocket connection */
    DataReader reader() {
        return new DataReader(this);
    }

    @Override
    public byte[] get() {
        if (source.available() == 0) {
            source.pullData(); // blocks; the end of the stream is an exception, as from the socket
        }
        byte[] chunk = source.readBytes(source.available());
        for (byte b : chunk) {
            step(b & 0xFF);
        }
        return chunk;
    }

    private void step(int b) {
        if (payloadLeft > 0) {
            payload(b);
            return;
        }
        header[headerRead++] = (byte) b;
        int needed = headerLength();
        if (headerRead < needed) {
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
        finalFrame = (header[0] & 0x80) != 0;
        masked = (header[1] & 0x80) != 0;
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
        if (masked) {
            System.arraycopy(header, at, mask, 0, 4);
        }
        boolean control = (opcode & 0x8) != 0;
        if (opcode == TEXT) {
            inText = true;
            need = 0;
            lower = 0x80;
            upper = 0xBF;
        } else if (opcode == BINARY) {
            inText = false;
        }
        checking = !control && inText && (opcode == TEXT || opcode == CONTINUATION);
        if (control) {
            finalFrame = false; // a control frame between fragments does not end the message
        }
        payloadLeft = length < 0 ? Long.MAX_VALUE : length; // a negative 64-bit length: Helidon refuses it
        payloadAt = 0;
        headerRead = 0;
    }

    private void payload(int b) {
        if (checking) {
            int plain = masked ? b ^ (mask[(int) (payloadAt & 3)] & 0xFF) : b;
            if (!accept(plain)) {
                throw new InvalidUtf8();
            }
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
        }
        checking = false;
    }

    /** One byte through the validator (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
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
