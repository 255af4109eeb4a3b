package io.parley.engine.resumable;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cursor token: compact, URL-safe, and refused when it is not one. */
class CursorTest {
    @Test
    void a_cursor_survives_encoding_with_large_versions_and_seqs() {
        TreeMap<Long, Long> positions = new TreeMap<>();
        positions.put(65536L, 0L);
        positions.put(131072L, 127L);
        positions.put(Long.MAX_VALUE, Long.MAX_VALUE);
        Cursor cursor = new Cursor("Qk3-session_id", positions);

        String token = cursor.encode();

        assertEquals(cursor, Cursor.decode(token));
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + token);
    }

    @Test
    void moving_one_subscription_keeps_the_others() {
        Cursor cursor = Cursor.start("s").advance(7, 3).advance(9, 1).advance(7, 5);

        assertEquals(5L, cursor.positions().get(7L));
        assertEquals(1L, cursor.positions().get(9L));
        assertEquals(cursor, Cursor.decode(cursor.encode()));
    }

    @Test
    void tokens_encoded_again_and_again_into_one_array_are_the_cursors_tokens() {
        Cursor.Tokens tokens = new Cursor.Tokens("Qk3-session_id");
        TreeMap<Long, Long> positions = new TreeMap<>();
        for (long seq = 1; seq <= 300; seq += 7) {
            positions.put(seq % 3, seq * 1_000_003L);
            int length = tokens.encode(positions);
            String token = new String(tokens.token(), 0, length, java.nio.charset.StandardCharsets.US_ASCII);

            assertEquals(new Cursor("Qk3-session_id", positions).encode(), token);
            assertEquals(new Cursor("Qk3-session_id", positions), Cursor.decode(token));
        }
        positions.clear();
        int length = tokens.encode(positions);
        assertEquals(Cursor.start("Qk3-session_id"), Cursor.decode(
                new String(tokens.token(), 0, length, java.nio.charset.StandardCharsets.US_ASCII)),
                "a shorter token after longer ones is not mixed with their bytes");
    }

    @Test
    void tokens_that_are_not_cursors_are_invalid() {
        String valid = Cursor.start("s").advance(1, 2).encode();
        byte[] bytes = Base64.getUrlDecoder().decode(valid);
        String truncated = Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.util.Arrays.copyOf(bytes, bytes.length - 1));
        bytes[0] = 9;
        String otherFormat = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        for (String token : new String[]{"", "%%%", "AAAA", truncated, otherFormat, valid + "AA", "x".repeat(70000)}) {
            ParleyException e = assertThrows(ParleyException.class, () -> Cursor.decode(token), token);
            assertEquals(ErrorCode.INVALID, e.code());
        }
    }
}
