package io.parley.engine.resumable;

import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import io.parley.engine.ServerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedEncodingsTest {
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private final List<ServerEvent> encoded = new ArrayList<>();
    private final SharedEncodings encodings = new SharedEncodings(event -> {
        encoded.add(event);
        return event.toString();
    });

    private static RoomEvent joined(String room, long seq, String user) {
        return new RoomEvent.MemberJoined(RoomId.of(room), seq, UserId.of(user), AT);
    }

    @Test
    void one_event_delivered_to_a_thousand_readers_is_encoded_once() {
        RoomEvent event = joined("r1", 7, "ann");

        for (int reader = 0; reader < 1000; reader++) {
            assertEquals(new ServerEvent.Durable(event).toString(),
                    encodings.encode(new ServerEvent.Durable(event)));
        }

        assertEquals(1, encoded.size());
    }

    @Test
    void an_equal_event_read_from_the_store_reuses_the_text_and_a_different_one_gets_its_own() {
        encodings.encode(new ServerEvent.Durable(joined("r1", 7, "ann")));
        encodings.encode(new ServerEvent.Durable(joined("r1", 7, "ann")));
        assertEquals(1, encoded.size(), "equal events have equal texts");

        for (int seq = 1; seq <= 2 * SharedEncodings.SLOTS; seq++) {
            RoomEvent other = joined("r2", seq, "bob");
            assertEquals(new ServerEvent.Durable(other).toString(), encodings.encode(new ServerEvent.Durable(other)),
                    "every event gets its own text, whichever slot it shares");
        }
    }

    @Test
    void typing_and_presence_are_shared_and_per_session_replies_are_always_encoded() {
        Typing typing = new Typing(RoomId.of("r1"), UserId.of("ann"), true);
        Presence presence = new Presence(UserId.of("ann"), PresenceStatus.ONLINE, AT);
        for (int reader = 0; reader < 3; reader++) {
            encodings.encode(new ServerEvent.TypingEvent(typing));
            encodings.encode(new ServerEvent.PresenceEvent(presence));
            assertEquals(new ServerEvent.Pong(Optional.empty()).toString(),
                    encodings.encode(new ServerEvent.Pong(Optional.empty())));
        }

        assertEquals(2 + 3, encoded.size(), "typing once, presence once, each pong");
    }
}
