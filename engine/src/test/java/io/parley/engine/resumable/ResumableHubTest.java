package io.parley.engine.resumable;

import io.parley.adapters.persistence.memory.InMemoryResumableSessions;
import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.TokenVerifier;
import io.parley.application.port.out.Topic;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.engine.ClientCommand;
import io.parley.engine.ServerEvent;
import io.parley.engine.SessionHub;
import io.parley.engine.SessionSettings;
import io.parley.engine.TransportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resumable sessions without a transport: two nodes share a store, a fan-out and the session records, as two
 * servers behind a load balancer do; commands land on one, reads on the other, and a cursor taken on one
 * resumes on the other. Events are "encoded" with their {@code toString()}.
 */
class ResumableHubTest {
    private static final long WAIT_NANOS = Duration.ofSeconds(10).toNanos();

    private final InMemoryStore store = InMemoryStore.create();
    private final Fanout fanout = InMemoryFanout.create();
    private final PresenceRegistry presence = InMemoryPresenceRegistry.create();
    private final ResumableSessions records = InMemoryResumableSessions.create();
    private final List<Node> nodes = new ArrayList<>();
    private final User ann = User.of("ann");
    private final User bob = User.of("bob");

    private record Node(ChatCore core, SessionHub hub, ResumableHub sessions) {
    }

    private Node node(SessionSettings settings) {
        return node(settings, ResumableSettings.defaults());
    }

    private Node node(SessionSettings settings, ResumableSettings resumable) {
        ChatCore core = ChatCore.builder().rooms(store.rooms()).log(store.log()).fanout(fanout).presence(presence)
                .build();
        SessionHub hub = SessionHub.builder().core(core).encoder(ServerEvent::toString).settings(settings).build();
        ResumableHub sessions = ResumableHub.builder().core(core).hub(hub).records(records).settings(resumable)
                .build();
        Node node = new Node(core, hub, sessions);
        nodes.add(node);
        return node;
    }

    private Node node() {
        return node(SessionSettings.builder().commandRate(1000, 1000).build());
    }

    @AfterEach
    void stop() {
        for (Node node : nodes) {
            node.sessions().shutdown(Duration.ofSeconds(1));
            node.hub().shutdown(Duration.ofSeconds(1));
            node.core().close();
        }
    }

    private RoomId room(Node node) {
        return node.core().rooms().create(ann, new CreateRoom("Room", Visibility.PRIVATE, List.of(bob.id())))
                .room().id();
    }

    private void send(Node node, RoomId room, String body) {
        node.core().converse().send(ann, new SendMessage(room, body, Optional.empty(), Optional.empty()));
    }

    private static ServerEvent run(Node node, User user, String session, ClientCommand command) {
        try (CommandBatch batch = node.sessions().commands(user, session)) {
            return batch.run(command);
        }
    }

    /** Collects until {@code count} durable events arrived (or the wait ends), waiting between reads. */
    private static List<SessionReader.Delivery> collect(SessionReader reader, int count) throws InterruptedException {
        List<SessionReader.Delivery> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (out.stream().filter(SessionReader.Delivery::durable).count() < count
                && System.nanoTime() - deadline < 0) {
            out.addAll(reader.collect(100));
            if (!reader.hasWork()) {
                reader.await(Math.min(deadline, System.nanoTime() + 50_000_000L));
            }
        }
        return out;
    }

    private static List<String> bodies(List<SessionReader.Delivery> deliveries) {
        return deliveries.stream()
                .filter(SessionReader.Delivery::durable)
                .map(delivery -> ((ServerEvent.Durable) delivery.event()).event())
                .filter(RoomEvent.MessagePosted.class::isInstance)
                .map(event -> ((RoomEvent.MessagePosted) event).message().body())
                .toList();
    }

    private static void assertConsecutive(List<SessionReader.Delivery> deliveries, long after) {
        long expected = after;
        for (SessionReader.Delivery delivery : deliveries) {
            if (delivery.durable()) {
                assertEquals(++expected, delivery.seq(), "seqs of one room arrive once each, in order");
            }
        }
    }

    @Test
    void a_subscription_posted_to_one_node_replays_then_follows_live_on_another_and_a_cursor_resumes_anywhere()
            throws InterruptedException {
        Node a = node();
        Node b = node();
        RoomId room = room(a);
        send(a, room, "one");
        send(a, room, "two");

        OpenedSession opened = a.sessions().open(bob, Optional.empty());
        assertFalse(opened.resumed());
        ServerEvent reply = run(b, bob, opened.id(),
                new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.of(0)));
        ServerEvent.Subscribed ack = assertInstanceOf(ServerEvent.Subscribed.class,
                assertInstanceOf(ServerEvent.Ack.class, reply).result());
        assertTrue(ack.complete());

        Cursor cursor;
        try (SessionReader reader = a.sessions().read(opened, bob, Duration.ZERO)) {
            List<SessionReader.Delivery> replayed = collect(reader, (int) ack.lastSeq());
            assertConsecutive(replayed, 0);
            assertEquals(List.of("one", "two"), bodies(replayed));

            send(b, room, "three"); // stored and fanned out by the other node
            List<SessionReader.Delivery> live = collect(reader, 1);
            assertConsecutive(live, ack.lastSeq());
            assertEquals(List.of("three"), bodies(live));
            cursor = reader.cursor();
        }

        send(a, room, "four"); // while nobody reads the session
        OpenedSession resumed = b.sessions().open(bob, Optional.of(Cursor.decode(cursor.encode())));
        assertTrue(resumed.resumed());
        assertEquals(opened.id(), resumed.id());
        try (SessionReader reader = b.sessions().read(resumed, bob, Duration.ZERO)) {
            List<SessionReader.Delivery> missed = collect(reader, 1);
            assertConsecutive(missed, ack.lastSeq() + 1);
            assertEquals(List.of("four"), bodies(missed), "only what the cursor had not seen, once");
        }
    }

    @Test
    void a_reader_in_step_takes_each_signalled_event_and_a_signal_ahead_of_the_store_is_not_delivered()
            throws InterruptedException {
        Node a = node();
        RoomId room = room(a);
        OpenedSession opened = a.sessions().open(bob, Optional.empty());
        ServerEvent.Subscribed ack = assertInstanceOf(ServerEvent.Subscribed.class, assertInstanceOf(
                ServerEvent.Ack.class, run(a, bob, opened.id(),
                        new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.of(0)))).result());
        try (SessionReader reader = a.sessions().read(opened, bob, Duration.ZERO)) {
            long last = ack.lastSeq();
            assertConsecutive(collect(reader, (int) last), 0);
            for (int i = 1; i <= 5; i++) { // one signal per collect: the path a stream in step takes
                send(a, room, "m" + i);
                List<SessionReader.Delivery> live = collect(reader, 1);
                assertConsecutive(live, last);
                assertEquals(List.of("m" + i), bodies(live));
                last++;
            }

            // A signal two ahead of the store (its seq is not stored yet): neither delivered nor kept.
            fanout.publish(Topic.room(room), new Signal.Durable(
                    new RoomEvent.MemberJoined(room, last + 2, UserId.of("zed"), Instant.now())));
            reader.await(System.nanoTime() + 200_000_000L);
            assertTrue(reader.collect(100).stream().noneMatch(SessionReader.Delivery::durable));

            send(a, room, "next");
            send(a, room, "after");
            List<SessionReader.Delivery> rest = collect(reader, 2);
            assertConsecutive(rest, last);
            assertEquals(List.of("next", "after"), bodies(rest), "the stored events, not the early signal");
            assertEquals(last + 2, reader.cursor().positions().values().iterator().next());
        }
    }

    @Test
    void a_session_beyond_its_users_cap_ends_the_one_used_longest_ago_whose_reader_sees_it_gone() throws Exception {
        Node a = node(SessionSettings.builder().commandRate(1000, 1000).build(),
                new ResumableSettings(10, Duration.ofMinutes(10), Duration.ofSeconds(30), 200, 2));
        OpenedSession anns = a.sessions().open(ann, Optional.empty());
        OpenedSession first = a.sessions().open(bob, Optional.empty());
        try (SessionReader reader = a.sessions().read(first, bob, Duration.ZERO)) {
            Thread.sleep(5);
            OpenedSession second = a.sessions().open(bob, Optional.empty());
            Thread.sleep(5);
            OpenedSession third = a.sessions().open(bob, Optional.empty()); // the cap is 2: the first ends

            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!reader.gone() && System.nanoTime() < deadline) {
                reader.await(System.nanoTime() + Duration.ofMillis(100).toNanos());
                reader.collect(10);
            }
            assertTrue(reader.gone(), "the first session's open reader learns it ended");
            assertTrue(a.sessions().open(bob, Optional.of(third.cursor())).resumed());
            assertTrue(a.sessions().open(bob, Optional.of(second.cursor())).resumed());
            assertTrue(a.sessions().open(ann, Optional.of(anns.cursor())).resumed(), "other users are not touched");
            assertFalse(a.sessions().open(bob, Optional.of(first.cursor())).resumed(), "the first ended");
        }
        assertEquals(2, records.ofUser(bob.id(), java.time.Instant.now()).size(), "bob holds 2 sessions, no more");
    }

    @Test
    void the_per_user_session_cap_holds_across_two_nodes_sharing_the_records() throws Exception {
        ResumableSettings capped = new ResumableSettings(10, Duration.ofMinutes(10), Duration.ofSeconds(30), 200, 2);
        Node a = node(SessionSettings.builder().commandRate(1000, 1000).build(), capped);
        Node b = node(SessionSettings.builder().commandRate(1000, 1000).build(), capped);
        OpenedSession onA = a.sessions().open(bob, Optional.empty());
        Thread.sleep(5);
        OpenedSession alsoOnA = a.sessions().open(bob, Optional.empty());
        Thread.sleep(5);
        OpenedSession onB = b.sessions().open(bob, Optional.empty()); // the third, on the other node

        assertFalse(b.sessions().open(bob, Optional.of(onA.cursor())).resumed(), "the oldest ended, whichever node");
        assertEquals(2, records.ofUser(bob.id(), java.time.Instant.now()).size());
        assertTrue(a.sessions().open(bob, Optional.of(onB.cursor())).resumed());
        assertFalse(alsoOnA.id().equals(onB.id()));
    }

    @Test
    void another_users_cursor_opens_a_new_session_and_their_session_id_is_not_found_for_commands() {
        Node a = node();
        OpenedSession bobs = a.sessions().open(bob, Optional.empty());

        OpenedSession anns = a.sessions().open(ann, Optional.of(bobs.cursor()));
        assertFalse(anns.resumed());
        assertFalse(bobs.id().equals(anns.id()));
        ParleyException refused = assertThrows(ParleyException.class, () -> a.sessions().commands(ann, bobs.id()));
        assertEquals(ErrorCode.NOT_FOUND, refused.code());
    }

    @Test
    void commands_above_the_sessions_rate_are_answered_rate_limited_one_by_one() {
        Node a = node(SessionSettings.builder().commandRate(1, 2).build());
        OpenedSession opened = a.sessions().open(bob, Optional.empty());
        List<ServerEvent> replies = new ArrayList<>();
        try (CommandBatch batch = a.sessions().commands(bob, opened.id())) {
            for (int i = 0; i < 4; i++) {
                replies.add(batch.run(new ClientCommand.Ping(Optional.of("p" + i))));
            }
        }
        assertFalse(replies.get(0) instanceof ServerEvent.Error);
        assertFalse(replies.get(1) instanceof ServerEvent.Error);
        for (ServerEvent reply : replies.subList(2, 4)) {
            assertEquals(ErrorCode.RATE_LIMITED.wireName(), assertInstanceOf(ServerEvent.Error.class, reply).code());
        }
    }

    @Test
    void transports_are_served_by_their_capabilities() {
        Node a = node();
        OpenedSession opened = a.sessions().open(bob, Optional.empty());
        assertTrue(a.sessions().welcome(bob, opened, TransportKind.SSE).text().contains(opened.id()));
        assertThrows(IllegalArgumentException.class, () -> a.sessions().welcome(bob, opened, TransportKind.WEBSOCKET));
        assertThrows(IllegalArgumentException.class, () -> a.hub().open(
                new TokenVerifier.VerifiedToken(bob, java.time.Instant.MAX), TransportKind.LONG_POLL,
                null));
    }

    @Test
    void a_user_holds_at_most_the_configured_streams_on_a_node() {
        Node a = node();
        List<ReaderSlot> slots = new ArrayList<>();
        for (int i = 0; i < ResumableSettings.defaults().maxStreamsPerUser(); i++) {
            slots.add(a.sessions().openStream(bob.id()).orElseThrow());
        }
        assertTrue(a.sessions().openStream(bob.id()).isEmpty());
        assertTrue(a.sessions().openStream(UserId.of("carol")).isPresent(), "the limit is per user");
        slots.getFirst().close();
        assertTrue(a.sessions().openStream(bob.id()).isPresent(), "a closed stream frees its slot");
    }
}
