package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.MessageId;
import io.parley.domain.Room;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Load generator for the PostgreSQL store: persisted messages per second for one hot room and for 100 rooms,
 * with 1, 8 and 64 concurrent senders, with group commit (batches up to 256 drafts) and without it (1 draft
 * per transaction). Not a test: surefire does not pick it up. Run it with
 * <pre>
 * PARLEY_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/test \
 *   ./mvnw -q -B -pl adapters-persistence test-compile exec:java
 * </pre>
 * It creates a fresh database on that server (or on an embedded one without the variable) and drops it
 * at the end. System properties: {@code bench.seconds} (measured seconds per run, default 10),
 * {@code bench.warmup} (default 3), {@code bench.batches} (default {@code 256,1}),
 * {@code bench.senders} (default {@code 1,8,64}), {@code bench.rooms} (default {@code 1,100}),
 * {@code bench.writers} (default: the store's default), {@code bench.receipts} ({@code true}: each post is
 * followed by its author's read receipt, which is not a post and takes the general path; latencies and
 * messages/s still count the posts).
 */
public final class JdbcStoreBenchmark {
    private static final Clock CLOCK = Clock.systemUTC();
    /** Whether each post is followed by its author's read receipt up to it ({@code bench.receipts}). */
    private static final boolean RECEIPTS = Boolean.getBoolean("bench.receipts");

    private JdbcStoreBenchmark() {
    }

    /**
     * @param args ignored; see the class comment for the system properties
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Duration measured = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 3));
        int[] batches = ints("bench.batches", "256,1");
        int[] senderCounts = ints("bench.senders", "1,8,64");
        int[] roomCounts = ints("bench.rooms", "1,100");
        try (TestDatabase database = TestPostgres.createDatabase()) {
            System.out.printf(Locale.ROOT, "PostgreSQL store benchmark on %s (%s), %d s per run after %d s warm-up%n",
                    database.url(), TestPostgres.source(), measured.toSeconds(), warmup.toSeconds());
            System.out.printf(Locale.ROOT, "%-9s %-6s %-8s %12s %10s %10s%n",
                    "max-batch", "rooms", "senders", "messages/s", "p50 ms", "p99 ms");
            for (int maxBatch : batches) {
                JdbcSettings.Builder builder = JdbcSettings.builder().url(database.url()).user(database.user())
                        .password(database.password()).poolSize(10).maxBatch(maxBatch);
                Integer writers = Integer.getInteger("bench.writers");
                if (writers != null) {
                    builder.writers(writers);
                }
                JdbcSettings settings = builder.build();
                try (JdbcStorage storage = JdbcStorage.create(settings)) {
                    for (int rooms : roomCounts) {
                        for (int senders : senderCounts) {
                            Result r = run(storage, rooms, senders, warmup, measured);
                            System.out.printf(Locale.ROOT, "%-9d %-6d %-8d %12.0f %10.2f %10.2f%n", maxBatch, rooms,
                                    senders, r.perSecond(), r.p50Millis(), r.p99Millis());
                        }
                    }
                    membershipChecks(storage, warmup, measured);
                }
            }
        }
    }

    private record Result(double perSecond, double p50Millis, double p99Millis) {
    }

    private static Result run(JdbcStorage storage, int roomCount, int senders, Duration warmup, Duration measured)
            throws InterruptedException {
        String run = Long.toString(CLOCK.millis(), 36);
        User owner = User.of("owner-" + run);
        List<RoomId> rooms = IntStream.range(0, roomCount).mapToObj(i -> RoomId.of("bench-" + run + "-" + i)).toList();
        for (RoomId room : rooms) {
            storage.rooms().create(new Room(room, "bench", Visibility.OPEN, owner.id(), CLOCK.instant()),
                    List.of(owner.id()));
        }
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(senders);
        for (int s = 0; s < senders; s++) {
            int sender = s;
            long[] samples = new long[2_000_000];
            latencies.add(samples);
            User author = User.of("sender-" + run + "-" + s);
            Thread.ofPlatform().daemon().start(() -> {
                int n = 0;
                int recorded = 0;
                try {
                    while (!stop.get()) {
                        RoomId room = rooms.get((sender + n) % rooms.size());
                        EventDraft.Post post = new EventDraft.Post(room, MessageId.of(run + "-" + sender + "-" + n),
                                author, "benchmark message " + n, Optional.empty(),
                                Optional.of(run + "-" + sender + "-" + n), CLOCK.instant());
                        long started = System.nanoTime();
                        AppendOutcome outcome = storage.log().append(post);
                        long took = System.nanoTime() - started;
                        if (!(outcome instanceof AppendOutcome.Appended posted)) {
                            throw new IllegalStateException("not appended: " + outcome);
                        }
                        if (RECEIPTS) {
                            // The author's own read receipt up to the post: a draft that takes the general path.
                            AppendOutcome read = storage.log().append(new EventDraft.Read(room, author.id(),
                                    posted.event().seq(), CLOCK.instant()));
                            if (!(read instanceof AppendOutcome.Appended)) {
                                throw new IllegalStateException("receipt not appended: " + read);
                            }
                        }
                        if (counting.get()) {
                            appended.incrementAndGet();
                            if (recorded < samples.length) {
                                samples[recorded++] = took;
                            }
                        }
                        n++;
                    }
                } finally {
                    samples[samples.length - 1] = recorded;
                    done.countDown();
                }
            });
        }
        Thread.sleep(warmup.toMillis());
        counting.set(true);
        long started = System.nanoTime();
        Thread.sleep(measured.toMillis());
        counting.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        long count = appended.get();
        stop.set(true);
        done.await();
        long stored = rooms.stream().mapToLong(r -> storage.log().lastSeq(r) - 1).sum() / (RECEIPTS ? 2 : 1);
        if (stored < count) {
            throw new IllegalStateException("acknowledged " + count + " messages but only " + stored + " are stored");
        }
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted()
                .toArray();
        return new Result(count / seconds, percentile(all, 0.50), percentile(all, 0.99));
    }

    /** How many membership checks per second 8 readers get: the cost of not caching memberships. */
    private static void membershipChecks(JdbcStorage storage, Duration warmup, Duration measured)
            throws InterruptedException {
        String run = Long.toString(CLOCK.millis(), 36);
        User member = User.of("member-" + run);
        RoomId room = RoomId.of("members-" + run);
        storage.rooms().create(new Room(room, "members", Visibility.OPEN, member.id(), CLOCK.instant()),
                List.of(member.id()));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicLong checks = new AtomicLong();
        CountDownLatch done = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    if (!storage.rooms().isMember(room, member.id())) {
                        throw new IllegalStateException("lost the member");
                    }
                    if (counting.get()) {
                        checks.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        Thread.sleep(warmup.toMillis());
        counting.set(true);
        long started = System.nanoTime();
        Thread.sleep(measured.toMillis() / 2);
        counting.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        done.await();
        System.out.printf(Locale.ROOT, "isMember, 8 readers: %.0f checks/s%n", checks.get() / seconds);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static int[] ints(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
    }
}
