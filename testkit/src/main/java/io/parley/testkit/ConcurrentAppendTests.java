package io.parley.testkit;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.Message;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import static io.parley.testkit.StoreFixture.range;
import static io.parley.testkit.StoreFixture.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code RoomLog} atomicity contract under concurrent writers. */
interface ConcurrentAppendTests extends StoreFixture {
    /** Writer threads per test. */
    int WRITERS = 8;
    /** How long the writers of one test may take together. */
    Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    default void concurrent_appends_to_one_room_take_every_seq_exactly_once() {
        int perWriter = 200;
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        List<Callable<List<Long>>> writers = IntStream.range(0, WRITERS).<Callable<List<Long>>>mapToObj(w -> () -> {
            User author = drafts().user("writer" + w);
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < perWriter; i++) {
                seqs.add(append(drafts().post(room, author, "message " + i)).seq());
            }
            return seqs;
        }).toList();

        List<Long> taken = Concurrently.run(writers, TIMEOUT).stream().flatMap(List::stream).sorted().toList();

        long last = 1 + WRITERS * perWriter;
        assertEquals(range(2, last), taken);
        assertEquals(range(1, last), seqs(log().eventsAfter(room, 0, (int) last + 10)));
        assertEquals(last, log().lastSeq(room));
    }

    @Test
    default void concurrent_appends_to_many_rooms_keep_each_room_gap_free() {
        int roomCount = 50;
        int perRoom = 40;
        User alice = drafts().user("alice");
        List<RoomId> rooms = IntStream.range(0, roomCount).mapToObj(i -> roomWith(alice)).toList();
        List<Callable<Integer>> writers = IntStream.range(0, WRITERS).<Callable<Integer>>mapToObj(w -> () -> {
            int appended = 0;
            for (int i = w; i < roomCount * perRoom; i += WRITERS) {
                append(drafts().post(rooms.get(i % roomCount), alice, "message " + i));
                appended++;
            }
            return appended;
        }).toList();

        assertEquals(roomCount * perRoom, Concurrently.run(writers, TIMEOUT).stream().mapToInt(n -> n).sum());

        for (RoomId room : rooms) {
            assertEquals(range(1, 1 + perRoom), seqs(log().eventsAfter(room, 0, perRoom + 10)), room.value());
            assertEquals(1 + perRoom, log().lastSeq(room));
        }
    }

    @Test
    default void concurrent_retries_of_one_post_store_it_once() {
        User alice = drafts().user("alice");
        RoomId room = roomWith(alice);
        List<Callable<AppendOutcome>> retries = IntStream.range(0, WRITERS).<Callable<AppendOutcome>>mapToObj(
                w -> () -> log().append(drafts().post(room, alice, "hello", "client-1"))).toList();

        List<AppendOutcome> outcomes = Concurrently.run(retries, TIMEOUT);

        List<Message> stored = outcomes.stream().filter(AppendOutcome.Appended.class::isInstance)
                .map(StoreFixture::posted).toList();
        assertEquals(1, stored.size(), "exactly one retry stores the message: " + outcomes);
        AppendOutcome retried = new AppendOutcome.AlreadyPosted(stored.getFirst());
        assertEquals(WRITERS - 1, outcomes.stream().filter(retried::equals).count(), outcomes::toString);
        assertEquals(List.of(new RoomEvent.MessagePosted(stored.getFirst())), log().eventsAfter(room, 1, 10));
    }

    @Test
    default void concurrent_retries_of_one_post_in_different_rooms_store_it_once() {
        User alice = drafts().user("alice");
        List<RoomId> rooms = IntStream.range(0, WRITERS).mapToObj(i -> roomWith(alice)).toList();
        List<Callable<AppendOutcome>> retries = rooms.stream().<Callable<AppendOutcome>>map(
                room -> () -> log().append(drafts().post(room, alice, "hello", "client-1"))).toList();

        List<AppendOutcome> outcomes = Concurrently.run(retries, TIMEOUT);

        List<Message> stored = outcomes.stream().filter(AppendOutcome.Appended.class::isInstance)
                .map(StoreFixture::posted).toList();
        assertEquals(1, stored.size(), "exactly one retry stores the message: " + outcomes);
        AppendOutcome retried = new AppendOutcome.AlreadyPosted(stored.getFirst());
        assertEquals(WRITERS - 1, outcomes.stream().filter(retried::equals).count(), outcomes::toString);
        assertEquals(WRITERS + 1, rooms.stream().mapToLong(log()::lastSeq).sum(), "one room got one message");
    }
}
