package io.parley.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextRuleTest {
    private final ChatLimits limits = ChatLimits.DEFAULTS;

    @Test
    void every_utf16_unit_alone_is_allowed_exactly_when_it_is_no_control_and_no_surrogate() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String value = "a" + c + "b";
            boolean line = !Character.isISOControl(c) && !Character.isSurrogate(c);
            boolean body = line || c == '\t' || c == '\n' || c == '\r';
            assertEquals(line, accepted(() -> TextRule.singleLine("x", value)), "single line U+" + Integer.toHexString(c));
            assertEquals(body, accepted(() -> TextRule.multiLine("x", value)), "multi-line U+" + Integer.toHexString(c));
        }
    }

    @Test
    void surrogates_are_accepted_in_pairs_only() {
        String emoji = "😀";
        assertEquals("a" + emoji, TextRule.singleLine("x", "a" + emoji));
        for (String bad : new String[]{"\uD83D", "a\uD83D", "\uDE00a", "\uDE00\uD83D", emoji + "\uD83D", "\uD83D\uD83D\uDE00x"}) {
            ParleyException e = assertThrows(ParleyException.class, () -> TextRule.multiLine("body", bad));
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        }
    }

    @Test
    void every_checked_field_follows_the_rule() {
        assertEquals("line\r\nnext\tcolumn", limits.checkBody("line\r\nnext\tcolumn"));
        for (String bad : new String[]{"nul\u0000", "esc\u001b[31m", "del\u007f", "c1\u0085", "lone\uD800"}) {
            assertInvalid(() -> limits.checkBody(bad));
            assertInvalid(() -> limits.checkRoomName(bad));
            assertInvalid(() -> limits.checkClientId(bad));
            assertInvalid(() -> RoomId.of(bad));
            assertInvalid(() -> limits.checkAttachmentUrl("https://x.io/" + bad));
        }
        assertInvalid(() -> limits.checkClientId("two\nlines"));
        assertInvalid(() -> limits.checkRoomName("two\nlines"));
    }

    @Test
    void display_names_lose_control_characters_and_unpaired_surrogates() {
        assertEquals("Ann 😀", limits.fitDisplayName(" An\u0000n \uD800😀\uDC00\u001b"));
    }

    private static void assertInvalid(Runnable check) {
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, check::run).code());
    }

    private static boolean accepted(Runnable check) {
        try {
            check.run();
            return true;
        } catch (ParleyException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            return false;
        }
    }
}
