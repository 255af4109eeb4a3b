package io.parley.adapters.persistence.memory;

import io.parley.domain.EventDraft;
import io.parley.domain.MessageId;
import io.parley.domain.Room;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How much heap the in-memory store keeps per message (docs/benchmarks.md, "The in-memory store's messages,
 * smaller"). Not a test: run it with
 * {@code ./mvnw -q -B -pl adapters-persistence test-compile exec:java@footprint -Dexec.args=200000}.
 *
 * <p>Posts N messages over 100 rooms the way the command path does (a {@code RoomId} parsed anew for each
 * post, a 22-character random id as {@code RandomIds} makes, a body of about 40 bytes) and prints the heap
 * used after a collection, before and after, divided by N.
 */
public final class InMemoryStoreFootprint {
    private InMemoryStoreFootprint() {
    }

    /** @param args the number of messages (default 200,000) */
    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        InMemoryStore store = InMemoryStore.create();
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            RoomId id = RoomId.of("room-" + randomId());
            store.rooms().create(new Room(id, "Room " + r, Visibility.OPEN, UserId.of("owner"), Instant.now()),
                    List.of(UserId.of("owner")));
            rooms.add(id.value());
        }
        User author = User.of("publisher-1");
        long before = usedAfterCollection();
        for (int i = 0; i < count; i++) {
            RoomId room = RoomId.of(new String(rooms.get(i % rooms.size()).toCharArray()));
            store.log().append(new EventDraft.Post(room, MessageId.of(randomId()), author,
                    "m " + i + " " + System.nanoTime() + " a benchmark's body", Optional.empty(), Optional.empty(),
                    Instant.now()));
        }
        long after = usedAfterCollection();
        System.out.printf("%,d messages over %d rooms: %.0f bytes of heap each%n", count, rooms.size(),
                (after - before) / (double) count);
        if (store.log().lastSeq(RoomId.of(rooms.getFirst())) == 0) {
            throw new IllegalStateException("nothing was stored"); // and keeps the store reachable until here
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static long usedAfterCollection() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
