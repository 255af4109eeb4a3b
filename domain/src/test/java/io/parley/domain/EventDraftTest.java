package io.parley.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventDraftTest {
    @Test
    void a_post_moved_to_another_instance_of_its_room_id_keeps_everything_else_and_refuses_another_room() {
        EventDraft.Post post = new EventDraft.Post(RoomId.of("general"), MessageId.of("m1"), User.of("ann"), "hi",
                Optional.empty(), Optional.of("c1"), Instant.EPOCH);
        RoomId same = RoomId.of("general");

        EventDraft.Post moved = post.in(same);

        assertSame(same, moved.room());
        assertSame(same, moved.toEvent(7).message().room());
        assertEquals(post, moved);
        assertThrows(IllegalArgumentException.class, () -> post.in(RoomId.of("random")));
    }
}
