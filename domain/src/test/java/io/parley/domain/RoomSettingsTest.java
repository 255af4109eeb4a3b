package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Room settings: how a change applies, what it names as changed, who may make it, what archiving stops. */
class RoomSettingsTest {
    private static final UserId OWNER = UserId.of("olga");
    private static final RoomSettings BASE = new RoomSettings("Deal", Visibility.OPEN, Optional.of("topic"),
            Optional.of("https://cdn.example/a.png"), new TreeMap<>(Map.of("a", "1", "b", "2")), false);

    private static RoomChange change(Optional<String> topic, Map<String, String> metadata, Optional<Boolean> archived) {
        return new RoomChange(Optional.empty(), Optional.empty(), topic, Optional.empty(), metadata, archived);
    }

    @Test
    void absent_settings_stay_an_empty_topic_removes_it_and_metadata_merges_key_by_key() {
        RoomSettings after = change(Optional.of(""), Map.of("a", "", "c", "3"), Optional.empty()).applyTo(BASE);

        assertEquals(new RoomSettings("Deal", Visibility.OPEN, Optional.empty(), BASE.avatarUrl(),
                new TreeMap<>(Map.of("b", "2", "c", "3")), false), after);
        assertEquals(List.of(RoomSettings.Field.TOPIC, RoomSettings.Field.METADATA), BASE.changedTo(after));
        assertEquals(List.of(), BASE.changedTo(change(Optional.of("topic"), Map.of("a", "1"), Optional.of(false))
                .applyTo(BASE)), "setting what is there already changes nothing");
    }

    @Test
    void a_change_is_checked_against_the_limits_and_stripped() {
        ChatLimits limits = ChatLimits.DEFAULTS;
        RoomChange padded = change(Optional.of("  spaced  "), Map.of(), Optional.empty());
        assertEquals(Optional.of("spaced"), padded.checked(limits).topic());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class,
                () -> change(Optional.of("a\nb"), Map.of(), Optional.empty()).checked(limits)).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class,
                () -> change(Optional.empty(), Map.of("bad key", "v"), Optional.empty()).checked(limits)).code());
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ParleyException.class,
                () -> change(Optional.of("t".repeat(501)), Map.of(), Optional.empty()).checked(limits)).code());
        TreeMap<String, String> big = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            big.put("k" + i, "v".repeat(500));
        }
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ParleyException.class, () -> limits.checkMetadata(big)).code(),
                "20 × 500 bytes is over the 8 KiB a room's metadata holds");
    }

    @Test
    void the_owner_and_admins_change_settings_and_an_archived_room_only_by_unarchiving_it() {
        Room room = new Room(RoomId.of("r"), OWNER, Instant.EPOCH, BASE);
        RoomSettings archived = change(Optional.empty(), Map.of(), Optional.of(true)).applyTo(BASE);

        RoomPolicy.checkUpdate(room, Role.OWNER, archived);
        RoomPolicy.checkUpdate(room, Role.ADMIN, archived);
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> RoomPolicy.checkUpdate(room, Role.MEMBER, archived)).code());

        Room closed = room.with(archived);
        assertTrue(closed.archived());
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> RoomPolicy.checkWritable(closed)).code());
        RoomSettings retitled = change(Optional.of("new"), Map.of(), Optional.empty()).applyTo(archived);
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                () -> RoomPolicy.checkUpdate(closed, Role.OWNER, retitled)).code());
        RoomPolicy.checkUpdate(closed, Role.OWNER, change(Optional.of("new"), Map.of(), Optional.of(false)).applyTo(archived));
        RoomPolicy.checkWritable(room);
    }
}
