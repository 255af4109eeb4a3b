package io.parley.engine.resumable;

import io.parley.domain.ParleyException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a client is in its session: the session id and, per subscription version, the last seq delivered.
 * Subscriptions it does not name are at their start. Sent to the client as an opaque base64url token (the
 * SSE event id, the long-poll {@code cursor}).
 *
 * <p>Bytes: format {@code 1}, varint length + UTF-8 session id, varint count, then per entry varint version
 * and varint seq, by increasing version.
 *
 * @param session   the session id
 * @param positions last seq delivered per subscription version
 */
public record Cursor(String session, SortedMap<Long, Long> positions) {
    private static final int FORMAT = 1;
    private static final int MAX_LENGTH = 64 * 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Validates the cursor and copies the positions. */
    public Cursor {
        Objects.requireNonNull(session, "session");
        positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    }

    /** @return a cursor at the start of every subscription */
    public static Cursor start(String session) {
        return new Cursor(session, new TreeMap<>());
    }

    /** @return this cursor with one subscription moved to {@code seq} */
    Cursor advance(long version, long seq) {
        TreeMap<Long, Long> moved = new TreeMap<>(positions);
        moved.put(version, seq);
        return new Cursor(session, moved);
    }

    /** @return the token */
    public String encode() {
        return encode(session, positions);
    }

    /**
     * The token of a cursor without building one: a stream that moves one position per event encodes
     * each event's id from the positions it keeps.
     *
     * @param session   the session id
     * @param positions last seq delivered per subscription version
     * @return the token
     */
    public static String encode(String session, SortedMap<Long, Long> positions) {
        Tokens tokens = new Tokens(session);
        return new String(tokens.token(), 0, tokens.encode(positions), StandardCharsets.US_ASCII);
    }

    /**
     * Encodes the tokens of one session's cursor again and again, as a stream does for every event it
     * writes, into one array it reuses: no {@link Cursor}, map copy or string per token.
     */
    public static final class Tokens {
        private final byte[] session;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream(32);
        private byte[] token = new byte[64];

        /** @param session the session id */
        public Tokens(String session) {
            this.session = session.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * @param positions last seq delivered per subscription version
         * @return the token's length: its ASCII bytes are the first ones of {@link #token()}
         */
        public int encode(SortedMap<Long, Long> positions) {
            raw.reset();
            raw.write(FORMAT);
            varint(raw, session.length);
            raw.writeBytes(session);
            varint(raw, positions.size());
            for (Map.Entry<Long, Long> position : positions.entrySet()) {
                varint(raw, position.getKey());
                varint(raw, position.getValue());
            }
            byte[] bytes = raw.toByteArray();
            int length = (bytes.length + 2) / 3 * 4;
            if (token.length < length) {
                token = new byte[Math.max(length, token.length * 2)];
            }
            return ENCODER.encode(bytes, token);
        }

        /** @return the last token encoded, in its first {@link #encode} bytes; overwritten by the next */
        public byte[] token() {
            return token;
        }
    }

    /**
     * @param token a token from {@link #encode()}
     * @return the cursor
     * @throws ParleyException {@code invalid} when the token is not a cursor
     */
    public static Cursor decode(String token) {
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            throw ParleyException.invalid("cursor: not a cursor");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(DECODER.decode(token.strip()));
            if (in.get() != FORMAT) {
                throw ParleyException.invalid("cursor: unknown format");
            }
            int idLength = (int) varint(in, MAX_LENGTH);
            byte[] id = new byte[idLength];
            in.get(id);
            String session = new String(id, StandardCharsets.UTF_8);
            long count = varint(in, MAX_LENGTH);
            TreeMap<Long, Long> positions = new TreeMap<>();
            for (long i = 0; i < count; i++) {
                positions.put(varint(in, Long.MAX_VALUE), varint(in, Long.MAX_VALUE));
            }
            if (in.hasRemaining() || session.isEmpty()) {
                throw ParleyException.invalid("cursor: not a cursor");
            }
            return new Cursor(session, positions);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw ParleyException.invalid("cursor: not a cursor");
        }
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long varint(ByteBuffer in, long max) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0 || value > max) {
                    throw ParleyException.invalid("cursor: value out of range");
                }
                return value;
            }
        }
        throw ParleyException.invalid("cursor: value out of range");
    }
}
