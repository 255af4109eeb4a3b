package io.parley.adapters.ssepolling;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.StreamSupport;

import static io.parley.adapters.ssepolling.Commands.one;
import static io.parley.adapters.ssepolling.Commands.send;
import static io.parley.adapters.ssepolling.Commands.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /v1/poll} over real sockets, on two nodes: a client's polls alternate between them. */
class LongPollTest {
    private static Cluster cluster;
    private static Cluster.Node a;
    private static Cluster.Node b;

    @BeforeAll
    static void start() {
        cluster = Cluster.of(2, Duration.ofSeconds(25), SsePollingSettings.builder().maxWait(Duration.ofSeconds(2))
                .defaultWait(Duration.ofSeconds(2)).build());
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Http.Reply poll(Cluster.Node node, String user, String cursor, int wait) {
        Http.Reply reply = Http.get(node.uri("/v1/poll?cursor=" + cursor + "&wait=" + wait), "t-" + user);
        assertEquals(200, reply.status(), () -> String.valueOf(reply.body()));
        return reply;
    }

    private static List<Long> seqs(Http.Reply reply) {
        return StreamSupport.stream(reply.body().get("events").spliterator(), false)
                .filter(e -> e.has("seq")).map(e -> e.get("seq").asLong()).toList();
    }

    @Test
    void a_poll_without_a_cursor_opens_a_session_and_answers_at_once_with_its_welcome() {
        Http.Reply open = Http.get(a.uri("/v1/poll"), "t-alice");

        assertEquals(200, open.status());
        assertEquals("no-store", open.raw().headers().firstValue("Cache-Control").orElseThrow());
        JsonNode welcome = open.body().get("events").get(0);
        assertEquals(1, open.body().get("events").size());
        assertEquals("welcome", welcome.get("type").asText());
        assertEquals("long-poll", welcome.get("transport").asText());
        assertFalse(welcome.get("resumed").asBoolean());
        assertFalse(open.body().get("cursor").asText().isEmpty());
    }

    @Test
    void a_subscribe_posted_while_a_poll_opens_is_seen_by_that_poll() throws Exception {
        // The poll reads its session's record, then listens for changes to it; the subscribe lands in
        // between, and its signal reaches nobody.
        SlowSessionSubscribe slow = new SlowSessionSubscribe(InMemoryFanout.create(), Duration.ofMillis(300));
        try (Cluster late = Cluster.of(2, slow)) {
            String room = late.room("alice", Visibility.OPEN, "bob");
            Http.Reply open = Http.get(late.node(0).uri("/v1/poll"), "t-alice");
            String session = open.body().get("events").get(0).get("session").asText();
            String cursor = open.body().get("cursor").asText();

            CompletableFuture<Http.Reply> waiting = CompletableFuture.supplyAsync(
                    () -> poll(late.node(0), "alice", cursor, 10));
            slow.awaitSessionSubscribe();
            subscribe(late.node(1), "alice", session, room);
            long start = System.nanoTime();
            long seq = send(late.node(1), "bob", room, "while the poll opened");
            Http.Reply reply = waiting.join();

            assertEquals(List.of(seq), seqs(reply));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000,
                    "answered long before the 10 s wait ended");
        }
    }

    @Test
    void a_waiting_poll_answers_as_soon_as_an_event_exists_on_any_node() throws Exception {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        Http.Reply open = Http.get(a.uri("/v1/poll"), "t-alice");
        String session = open.body().get("events").get(0).get("session").asText();
        subscribe(b, "alice", session, room);
        String cursor = open.body().get("cursor").asText();

        CompletableFuture<Http.Reply> waiting = CompletableFuture.supplyAsync(() -> poll(a, "alice", cursor, 2));
        Thread.sleep(300); // let the poll start waiting; the assertion below does not depend on it
        long start = System.nanoTime();
        long seq = send(b, "bob", room, "now");
        Http.Reply reply = waiting.join();

        assertEquals(List.of(seq), seqs(reply));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500, "answered before the wait ended");
    }

    @Test
    void a_poll_with_nothing_to_deliver_answers_empty_when_its_wait_ends_with_the_same_cursor() {
        Http.Reply open = Http.get(a.uri("/v1/poll"), "t-alice");
        String cursor = open.body().get("cursor").asText();

        long start = System.nanoTime();
        Http.Reply empty = poll(b, "alice", cursor, 1);
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertEquals(0, empty.body().get("events").size());
        assertEquals(cursor, empty.body().get("cursor").asText());
        assertTrue(took >= 750 && took < 1900, "waited about a second (up to a fifth less): " + took);
        long capped = System.nanoTime();
        poll(a, "alice", cursor, 600);
        assertTrue(Duration.ofNanos(System.nanoTime() - capped).toMillis() < 2900, "the wait is capped at max-wait");
    }

    @Test
    void idle_polls_started_together_end_spread_over_the_last_fifth_of_their_wait() {
        int count = 10;
        List<String> cursors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cursors.add(Http.get(a.uri("/v1/poll"), "t-quiet" + i).body().get("cursor").asText());
        }
        List<CompletableFuture<Long>> polls = new ArrayList<>();
        List<Long> took;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int client = i;
                polls.add(CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    Http.Reply empty = poll(a, "quiet" + client, cursors.get(client), 2);
                    assertEquals(0, empty.body().get("events").size());
                    return Duration.ofNanos(System.nanoTime() - start).toMillis();
                }, clients));
            }
            took = polls.stream().map(CompletableFuture::join).sorted().toList();
        }

        // Each poll is held for its 2 s wait less its own share of up to a fifth (400 ms); held for the whole
        // wait, all ten would end within a few ms of each other, and their clients would poll again together.
        assertTrue(took.getFirst() >= 1550 && took.getLast() < 2900, "held 1.6-2 s: " + took);
        assertTrue(took.getLast() - took.getFirst() >= 150, "spread over the last fifth of the wait: " + took);
    }

    @Test
    void polling_the_same_cursor_again_returns_the_same_events_so_a_lost_response_loses_nothing() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        Http.Reply open = Http.get(a.uri("/v1/poll"), "t-alice");
        String session = open.body().get("events").get(0).get("session").asText();
        subscribe(a, "alice", session, room);
        long one = send(a, "bob", room, "one");
        long two = send(a, "bob", room, "two");
        String cursor = open.body().get("cursor").asText();

        Http.Reply lost = poll(a, "alice", cursor, 2);
        Http.Reply again = poll(b, "alice", cursor, 2);

        assertEquals(List.of(one, two), seqs(lost));
        assertEquals(List.of(one, two), seqs(again));
        assertEquals(lost.body().get("cursor"), again.body().get("cursor"));
        long three = send(b, "bob", room, "three");
        assertEquals(List.of(three), seqs(poll(a, "alice", again.body().get("cursor").asText(), 2)));
    }

    @Test
    void a_subscribe_with_after_replays_the_missed_events_on_the_next_poll() {
        String room = cluster.room("alice", Visibility.OPEN, "bob");
        for (int i = 0; i < 3; i++) {
            send(a, "bob", room, "m" + i);
        }
        Http.Reply open = Http.get(a.uri("/v1/poll"), "t-alice");
        String session = open.body().get("events").get(0).get("session").asText();
        JsonNode ack = one(a, "alice", session, "{\"type\":\"subscribe\",\"ref\":\"s\",\"room\":\"" + room
                + "\",\"after\":1}");
        assertTrue(ack.get("complete").asBoolean());
        assertEquals(ack.get("last_seq").asLong() - 1, ack.get("replayed").asLong());
        Http.Reply replay = poll(b, "alice", open.body().get("cursor").asText(), 2);
        assertEquals(ack.get("replayed").asLong(), seqs(replay).size());
        assertEquals(2L, seqs(replay).getFirst());
    }

    @Test
    void bad_waits_and_cursors_are_refused_and_a_foreign_cursor_opens_a_new_session() {
        Http.Reply bobs = Http.get(a.uri("/v1/poll"), "t-bob");
        assertEquals(400, Http.get(a.uri("/v1/poll?wait=soon"), "t-alice").status());
        assertEquals(400, Http.get(a.uri("/v1/poll?wait=-1"), "t-alice").status());
        assertEquals(400, Http.get(a.uri("/v1/poll?cursor=AAAA"), "t-alice").status());
        assertEquals(401, Http.get(a.uri("/v1/poll"), "nope").status());

        Http.Reply stolen = poll(a, "alice", bobs.body().get("cursor").asText(), 0);
        JsonNode welcome = stolen.body().get("events").get(0);
        assertEquals("welcome", welcome.get("type").asText());
        assertEquals("alice", welcome.get("user").asText());
        assertFalse(welcome.get("resumed").asBoolean());
    }
}
