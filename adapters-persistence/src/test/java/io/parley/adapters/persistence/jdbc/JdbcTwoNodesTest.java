package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.testkit.Drafts;
import io.parley.testkit.SteppingClock;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two stores on one database, as two server nodes: seqs stay gap-free and each sender sees its own in order. */
class JdbcTwoNodesTest {
    private static final int SENDERS_PER_NODE = 8;
    private static final int MESSAGES_PER_SENDER = 150;

    private static TestDatabase database;

    private final Drafts drafts = Drafts.create(SteppingClock.create(Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofMillis(1)));

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void eight_senders_on_each_of_two_nodes_into_one_room_store_seqs_1_to_n_exactly_once() throws Exception {
        User owner = drafts.user("owner");
        RoomId room;
        try (JdbcStorage first = JdbcStorage.create(Settings.of(database).build());
             JdbcStorage second = JdbcStorage.create(Settings.of(database).build())) {
            room = drafts.room("busy", owner).id();
            first.rooms().create(new io.parley.domain.Room(room, "busy", io.parley.domain.Visibility.OPEN,
                    owner.id(), drafts.now()), List.of(owner.id()));
            ExecutorService threads = Executors.newFixedThreadPool(2 * SENDERS_PER_NODE);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> senders = new ArrayList<>();
            for (int s = 0; s < 2 * SENDERS_PER_NODE; s++) {
                JdbcStorage node = s % 2 == 0 ? first : second;
                User sender = drafts.user("sender" + s);
                senders.add(threads.submit(() -> {
                    start.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                        AppendOutcome outcome = node.log().append(drafts.post(room, sender, "message " + i));
                        seqs.add(((AppendOutcome.Appended) outcome).event().seq());
                    }
                    return seqs;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> sender : senders) {
                List<Long> own = sender.get(2, TimeUnit.MINUTES);
                assertEquals(own.stream().sorted().toList(), own, "a sender's messages get increasing seqs");
                all.addAll(own);
            }
            threads.shutdown();

            long last = 1 + 2L * SENDERS_PER_NODE * MESSAGES_PER_SENDER;
            List<Long> expected = LongStream.rangeClosed(2, last).boxed().toList();
            assertEquals(expected, all.stream().sorted().toList(), "every seq taken exactly once");
            for (JdbcStorage node : List.of(first, second)) {
                List<RoomEvent> stored = new ArrayList<>();
                long after = 0;
                List<RoomEvent> page;
                while (!(page = node.log().eventsAfter(room, after, 1000)).isEmpty()) {
                    stored.addAll(page);
                    after = page.getLast().seq();
                }
                assertEquals(LongStream.rangeClosed(1, last).boxed().toList(),
                        stored.stream().map(RoomEvent::seq).toList(), "the log holds 1..N, no gap, no duplicate");
                assertEquals(last, node.log().lastSeq(room));
            }
            assertTrue(first.ping() && second.ping());
        }
    }
}
