package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Signal;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.ReplyPreview;
import io.parley.domain.Role;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalCodecTest {
    private static final RoomId ROOM = RoomId.of("général:1");
    private static final UserId ALICE = UserId.of("alice|\"quoted\"");
    private static final Instant AT = Instant.parse("2025-03-04T05:06:07.123456789Z");

    private static final Message MESSAGE = new Message(MessageId.of("m1"), ROOM, 7, ALICE, "Alice \uD83D\uDE00",
            "line 1\nline 2 \"with quotes\" and \\ backslash", Optional.of("https://files.example/a.png"), AT,
            Optional.of(AT.plusSeconds(5)), false);

    static List<Signal> everyKind() {
        return List.of(
                new Signal.Durable(new RoomEvent.MessagePosted(MESSAGE)),
                new Signal.Durable(new RoomEvent.MessagePosted(new Message(MessageId.of("m2"), ROOM, 8, ALICE, "A",
                        "", Optional.empty(), AT, Optional.empty(), true))),
                new Signal.Durable(new RoomEvent.MessageEdited(ROOM, 9, MessageId.of("m1"), "fixed", AT)),
                new Signal.Durable(new RoomEvent.MessagePosted(new Message(MessageId.of("m3"), ROOM, 20, ALICE, "A",
                        "re", Optional.empty(), AT, Optional.empty(), false,
                        Optional.of(new ReplyPreview(MessageId.of("m1"), UserId.of("bob"), "Bob", "the \"start\"", false)),
                        List.of(UserId.of("bob"), UserId.of("carol"))))),
                new Signal.Durable(new RoomEvent.MessagePosted(new Message(MessageId.of("m4"), ROOM, 21, ALICE, "A",
                        "re", Optional.empty(), AT, Optional.empty(), false,
                        Optional.of(new ReplyPreview(MessageId.of("m2"), UserId.of("bob"), "Bob", "", true)), List.of()))),
                new Signal.Durable(new RoomEvent.MessageDeleted(ROOM, 10, MessageId.of("m1"), AT)),
                new Signal.Durable(new RoomEvent.MemberJoined(ROOM, 11, ALICE, AT)),
                new Signal.Durable(new RoomEvent.MemberLeft(ROOM, 12, ALICE, AT)),
                new Signal.Durable(new RoomEvent.ReadUpTo(ROOM, 13, ALICE, 12, AT)),
                new Signal.Durable(new RoomEvent.RoomUpdated(ROOM, 14, ALICE, new RoomSettings("Deal \uD83D\uDE00",
                        Visibility.PRIVATE, Optional.of("topic \"quoted\""), Optional.of("https://cdn.example/a.png"),
                        new TreeMap<>(Map.of("crm.deal", "42", "note", "two\nlines")), true),
                        List.of(RoomSettings.Field.NAME, RoomSettings.Field.ARCHIVED), AT)),
                new Signal.Durable(new RoomEvent.RoomUpdated(ROOM, 15, ALICE, RoomSettings.of("plain", Visibility.OPEN),
                        List.of(RoomSettings.Field.TOPIC), AT)),
                new Signal.Durable(new RoomEvent.RoleChanged(ROOM, 16, UserId.of("bob"), Role.ADMIN, ALICE, AT)),
                new Signal.Durable(new RoomEvent.RoleChanged(ROOM, 17, UserId.of("bob"), Role.OWNER, ALICE, AT)),
                new Signal.Durable(new RoomEvent.MemberBanned(ROOM, 18, UserId.of("eve"), ALICE, AT)),
                new Signal.Durable(new RoomEvent.ReactionAdded(ROOM, 22, MessageId.of("m1"), "👨‍👩‍👧", ALICE, AT)),
                new Signal.Durable(new RoomEvent.ReactionRemoved(ROOM, 23, MessageId.of("m1"), "👍", ALICE, AT)),
                new Signal.Durable(new RoomEvent.MemberUnbanned(ROOM, 19, UserId.of("eve"), ALICE, AT)),
                new Signal.Durable(new RoomEvent.RoomDeleted(ROOM, 24, ALICE, AT)),
                new Signal.TypingChanged(new Typing(ROOM, ALICE, true)),
                new Signal.TypingChanged(new Typing(ROOM, ALICE, false)),
                new Signal.PresenceChanged(ROOM, new Presence(ALICE, PresenceStatus.AWAY, AT)),
                new Signal.PresenceChanged(ROOM, Presence.neverSeen(ALICE)),
                new Signal.SessionUpdated("session-1"),
                new Signal.SessionsEnded(ALICE, java.util.Optional.empty()),
                new Signal.SessionsEnded(ALICE, java.util.Optional.of(AT)),
                new Signal.Resync());
    }

    @Test
    void every_kind_of_signal_survives_the_round_trip_exactly() {
        for (Signal signal : everyKind()) {
            SignalCodec.Envelope decoded = SignalCodec.decode(SignalCodec.encode("node-1", signal));
            assertEquals(new SignalCodec.Envelope("node-1", signal, false), decoded, signal::toString);
        }
    }

    @Test
    void a_typing_renewal_is_marked_as_such() {
        Signal typing = new Signal.TypingChanged(new Typing(ROOM, ALICE, true));
        String json = SignalCodec.encode(new SignalCodec.Envelope("n", typing, true));

        assertEquals(new SignalCodec.Envelope("n", typing, true), SignalCodec.decode(json));
    }

    @Test
    void the_encoding_is_compact_json() {
        String json = SignalCodec.encode("n1", new Signal.Durable(new RoomEvent.MemberJoined(RoomId.of("r"), 3,
                UserId.of("bob"), Instant.parse("2025-01-01T00:00:00Z"))));

        assertEquals("{\"o\":\"n1\",\"k\":\"e\",\"r\":\"r\",\"q\":3,\"at\":\"2025-01-01T00:00:00Z\",\"t\":\"join\","
                + "\"u\":\"bob\"}", json);
        assertTrue(SignalCodec.encode("n1", new Signal.Durable(new RoomEvent.MessagePosted(MESSAGE))).length() < 300);
    }

    @Test
    void malformed_input_is_rejected_with_an_illegal_argument() {
        assertThrows(IllegalArgumentException.class, () -> SignalCodec.decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> SignalCodec.decode("{\"o\":\"n\",\"k\":\"?\"}"));
        assertThrows(IllegalArgumentException.class, () -> SignalCodec.decode("{\"o\":\"n\",\"k\":\"e\",\"r\":\"r\","
                + "\"q\":1,\"at\":\"2025-01-01T00:00:00Z\",\"t\":\"join\"}"));
    }
}
