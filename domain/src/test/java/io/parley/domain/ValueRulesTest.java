package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValueRulesTest {
    private final ChatLimits limits = new ChatLimits(10, 5, 4, 40, 8);

    @Test
    void ids_must_be_non_empty_short_and_free_of_control_characters() {
        assertEquals("abc", RoomId.of("abc").value());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> RoomId.of("")).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> UserId.of("a\nb")).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> UserId.of(" a")).code());
        assertEquals(ErrorCode.INVALID,
                assertThrows(ParleyException.class, () -> MessageId.of("x".repeat(129))).code());
    }

    @Test
    void bodies_over_the_limit_are_too_large_and_blank_ones_invalid() {
        assertEquals("0123456789", limits.checkBody("0123456789"));
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ParleyException.class,
                () -> limits.checkBody("01234567890")).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> limits.checkBody("  ")).code());
    }

    @Test
    void limits_count_code_points_so_an_emoji_counts_once() {
        assertEquals(10, limits.checkBody("😀".repeat(10)).codePointCount(0, 20));
    }

    @Test
    void room_names_are_stripped_and_limited() {
        assertEquals("abc", limits.checkRoomName("  abc "));
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ParleyException.class,
                () -> limits.checkRoomName("abcdef")).code());
    }

    @Test
    void attachments_must_be_absolute_http_urls() {
        assertEquals("https://x.io/a", limits.checkAttachmentUrl("https://x.io/a"));
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class,
                () -> limits.checkAttachmentUrl("javascript:alert(1)")).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class,
                () -> limits.checkAttachmentUrl("/relative")).code());
    }

    @Test
    void display_names_are_cut_rather_than_refused() {
        assertEquals("abcd", limits.fitDisplayName(" abcdefg\u0007"));
    }

    @Test
    void presence_is_online_if_any_session_is_online_away_if_all_are_away() {
        assertEquals(PresenceStatus.ONLINE, PresenceStatus.aggregate(List.of(PresenceStatus.AWAY, PresenceStatus.ONLINE)));
        assertEquals(PresenceStatus.AWAY, PresenceStatus.aggregate(List.of(PresenceStatus.AWAY, PresenceStatus.AWAY)));
        assertEquals(PresenceStatus.OFFLINE, PresenceStatus.aggregate(List.of()));
    }

    @Test
    void history_limits_are_checked() {
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> HistoryQuery.latest(0)).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> HistoryQuery.latest(201)).code());
        assertEquals(HistoryQuery.Direction.FORWARD, HistoryQuery.after(3, 10).direction());
    }
}
