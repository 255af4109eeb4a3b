package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.Rooms;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.Member;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine without a transport: sessions of a {@link SessionHub} over a {@link ChatCore} on the in-memory
 * adapters, their frames recorded by a {@link RecordingSink}. Replay-then-live, exactly once and in order
 * under concurrent senders, membership changes, slow consumers, and a store that fails under presence.
 */
class SessionHubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final User ann = User.of("ann");
    private final User bob = User.of("bob");
    private TestNode node;

    private ChatCore core(SessionSettings settings) {
        node = TestNode.start(settings);
        return node.core();
    }

    private ChatCore core() {
        return core(SessionSettings.builder().commandRate(10_000, 10_000).build());
    }

    @AfterEach
    void shutdown() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void a_session_starts_with_welcome_and_replays_before_its_ack_then_delivers_live_events() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Replay", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        for (int i = 1; i <= 3; i++) {
            core.converse().send(ann, SendMessage.of(room, "old " + i));
        }
        RecordingSink sink = new RecordingSink();
        ChatSession session = open(core, bob, sink);
        ServerEvent.Welcome welcome = assertInstanceOf(ServerEvent.Welcome.class, sink.await(1).getFirst());
        assertEquals(bob.id(), welcome.user());
        assertEquals(session.id(), welcome.session());
        assertEquals(TransportKind.WEBSOCKET, welcome.transport());
        assertEquals(SessionSettings.defaults().heartbeat().toMillis(), welcome.heartbeatMs());
        assertFalse(welcome.resumed());

        session.handle(new ClientCommand.Subscribe(Optional.of("s1"), room, OptionalLong.of(2)));
        core.converse().send(ann, SendMessage.of(room, "live"));
        // Bob's own presence, announced off the connection's thread, may arrive anywhere after the welcome:
        // only the durable events and the ack are ordered here.
        List<ServerEvent> events = sink.awaitMatching(e -> e instanceof ServerEvent.Durable durable
                && durable.event().seq() == 6).stream().filter(e -> !(e instanceof ServerEvent.PresenceEvent)).toList();
        assertEquals(List.of(3L, 4L, 5L), seqs(events.subList(1, 4)), "replay: every event after seq 2");
        ServerEvent.Ack ack = assertInstanceOf(ServerEvent.Ack.class, events.get(4));
        assertEquals(Optional.of("s1"), ack.ref());
        assertEquals(new ServerEvent.Subscribed(room, 5, 3, true), ack.result());
        assertEquals(List.of(6L), seqs(events.subList(5, events.size())), "live events follow the ack");
    }

    @Test
    void a_subscription_made_as_its_session_ends_is_not_left_in_the_room_feed() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Late", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        ChatSession staying = open(core, ann, new RecordingSink());
        staying.handle(new ClientCommand.Subscribe(Optional.of("s1"), room, OptionalLong.empty()));
        assertEquals(1, node.hub().feedCount());

        ChatSession ending = open(core, bob, new RecordingSink());
        // A subscribe command already under way when another thread ends the session (its token expired, it
        // was kicked): the session's rooms were cleared before this subscription was made.
        ending.close(CloseReason.NORMAL);
        ending.subscribe(room, OptionalLong.empty());
        staying.close(CloseReason.NORMAL);

        assertEquals(0, node.hub().feedCount(), "the room's feed is closed once its last live session left");
    }

    @Test
    void a_subscribe_during_concurrent_sends_replays_then_continues_live_without_gaps_or_duplicates() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Busy", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        int total = 400;
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch halfway = new CountDownLatch(1);
            Future<?> sending = sender.submit(() -> {
                for (int i = 0; i < total; i++) {
                    core.converse().send(ann, SendMessage.of(room, "m" + i));
                    if (i == total / 4) {
                        halfway.countDown();
                    }
                }
            });
            await(halfway);
            RecordingSink sink = new RecordingSink();
            ChatSession session = open(core, bob, sink);
            session.handle(new ClientCommand.Subscribe(Optional.of("s1"), room, OptionalLong.of(0)));
            get(sending);

            long lastSeq = total + 2;
            // The replay may already reach the last seq (then the ack comes after it), or live events follow the ack.
            List<ServerEvent> toLast = sink.awaitMatching(e -> e instanceof ServerEvent.Durable d
                    && d.event().seq() == lastSeq);
            List<ServerEvent> toAck = sink.awaitMatching(e -> e instanceof ServerEvent.Ack);
            List<ServerEvent> events = toAck.size() > toLast.size() ? toAck : toLast;
            int ackAt = indexOf(events, e -> e instanceof ServerEvent.Ack);
            ServerEvent.Subscribed subscribed = (ServerEvent.Subscribed) ((ServerEvent.Ack) events.get(ackAt)).result();
            assertTrue(subscribed.complete());
            List<Long> replayed = seqs(events.subList(0, ackAt));
            assertEquals(subscribed.replayed(), replayed.size());
            assertTrue(replayed.getLast() >= subscribed.lastSeq(), "the replay reaches the seq the ack names");
            List<Long> all = seqs(events);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i), "seq " + (i + 1) + " exactly once, in order");
            }
            assertEquals(lastSeq, all.size());
        } finally {
            sender.shutdownNow();
        }
    }

    @Test
    void eight_concurrent_senders_into_one_room_are_delivered_exactly_once_in_seq_order() {
        ChatCore core = core();
        List<User> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(User.of("sender" + i));
        }
        RoomId room = core.rooms().create(ann, new CreateRoom("Crowd", Visibility.OPEN,
                senders.stream().map(User::id).toList())).room().id();
        long start = core.context().log().lastSeq(room);
        RecordingSink annSink = new RecordingSink();
        RecordingSink bobSink = new RecordingSink();
        core.rooms().addMember(bob, room, bob.id());
        open(core, ann, annSink).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        open(core, bob, bobSink).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        long subscribedAt = core.context().log().lastSeq(room);
        assertEquals(start + 1, subscribedAt);

        int perSender = 150;
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (User sender : senders) {
                running.add(pool.submit(() -> {
                    await(go);
                    for (int i = 0; i < perSender; i++) {
                        core.converse().send(sender, SendMessage.of(room, sender.id().value() + ":" + i));
                    }
                }));
            }
            go.countDown();
            running.forEach(SessionHubTest::get);
        } finally {
            pool.shutdownNow();
        }

        long lastSeq = subscribedAt + (long) senders.size() * perSender;
        for (RecordingSink sink : List.of(annSink, bobSink)) {
            // The replay may already reach the last seq (then the ack comes after it), or live events follow the ack.
            List<ServerEvent> toLast = sink.awaitMatching(e -> e instanceof ServerEvent.Durable d
                    && d.event().seq() == lastSeq);
            List<ServerEvent> toAck = sink.awaitMatching(e -> e instanceof ServerEvent.Ack);
            List<ServerEvent> events = toAck.size() > toLast.size() ? toAck : toLast;
            List<Long> seqs = seqs(events);
            assertEquals(senders.size() * perSender, seqs.size(), "each message exactly once");
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(subscribedAt + 1 + i, seqs.get(i), "in seq order, no gaps");
            }
            Map<String, Integer> nextBySender = new HashMap<>();
            for (ServerEvent event : events) {
                if (event instanceof ServerEvent.Durable(RoomEvent.MessagePosted posted)) {
                    String[] parts = posted.message().body().split(":");
                    int expected = nextBySender.getOrDefault(parts[0], 0);
                    assertEquals(expected, Integer.parseInt(parts[1]), "each sender's messages in its order");
                    nextBySender.put(parts[0], expected + 1);
                }
            }
        }
    }

    @Test
    void a_removed_member_receives_its_member_left_and_nothing_after_it() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Kick", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink annSink = new RecordingSink();
        RecordingSink bobSink = new RecordingSink();
        ChatSession annSession = open(core, ann, annSink);
        ChatSession bobSession = open(core, bob, bobSink);
        annSession.handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        bobSession.handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));

        core.rooms().removeMember(ann, room, bob.id());
        ServerEvent left = bobSink.awaitMatching(e -> e instanceof ServerEvent.Durable(RoomEvent.MemberLeft l)
                && l.user().equals(bob.id())).getLast();
        assertEquals(3, ((ServerEvent.Durable) left).event().seq());

        core.converse().send(ann, SendMessage.of(room, "after bob left"));
        annSink.awaitMatching(e -> e instanceof ServerEvent.Durable(RoomEvent.MessagePosted p)
                && p.message().body().equals("after bob left"));
        // The room feed queued the message for every subscriber before ann's writer could deliver it; a pong
        // queued now comes after anything bob was sent.
        bobSession.handle(new ClientCommand.Ping(Optional.of("p")));
        List<ServerEvent> bobEvents = bobSink.awaitMatching(e -> e instanceof ServerEvent.Pong);
        assertTrue(bobEvents.stream().noneMatch(e -> e instanceof ServerEvent.Durable(RoomEvent.MessagePosted p)),
                "bob got: " + bobEvents);

        bobSession.handle(new ClientCommand.Subscribe(Optional.of("again"), room, OptionalLong.empty()));
        ServerEvent.Error refused = (ServerEvent.Error) bobSink.awaitMatching(e -> e instanceof ServerEvent.Error)
                .getLast();
        assertEquals("forbidden", refused.code());
        assertEquals(Optional.of("again"), refused.ref());
    }

    @Test
    void a_session_whose_sink_stops_taking_frames_is_closed_as_slow_consumer_and_the_others_get_everything() {
        ChatCore core = core(SessionSettings.builder().queueCapacity(16).replayLimit(8).build());
        RoomId room = core.rooms().create(ann, new CreateRoom("Jam", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink fast = new RecordingSink();
        RecordingSink stuck = new RecordingSink();
        open(core, ann, fast).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        open(core, bob, stuck).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        stuck.await(2);
        stuck.block();

        for (int i = 0; i < 40; i++) {
            long seq = core.converse().send(ann, SendMessage.of(room, "m" + i)).message().seq();
            fast.awaitMatching(e -> e instanceof ServerEvent.Durable d && d.event().seq() == seq);
        }
        long lastSeq = core.context().log().lastSeq(room);
        List<Long> fastSeqs = seqs(fast.awaitMatching(e -> e instanceof ServerEvent.Durable d
                && d.event().seq() == lastSeq));
        assertEquals(40, fastSeqs.size());
        assertTrue(node.hub().sessions().stream().noneMatch(s -> s.user().equals(bob)), "bob's session ended");

        stuck.unblock();
        assertEquals(CloseReason.SLOW_CONSUMER, stuck.awaitClose());
    }

    @Test
    void a_room_feed_that_falls_behind_hands_each_session_its_backlog_in_one_write() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Jam", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink slow = new RecordingSink();
        RecordingSink other = new RecordingSink();
        open(core, ann, slow).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        slow.await(2);
        open(core, bob, other).handle(new ClientCommand.Subscribe(Optional.empty(), room, OptionalLong.empty()));
        other.await(2);
        int before = other.writes().size();
        // The feed writes to ann first and waits in that write; the next nine messages arrive meanwhile.
        slow.slowDown(Duration.ofMillis(300));
        for (int i = 0; i < 10; i++) {
            core.converse().send(ann, SendMessage.of(room, "m" + i));
        }
        List<Long> seqs = seqs(other.awaitMatching(e -> e instanceof ServerEvent.Durable d
                && d.event() instanceof RoomEvent.MessagePosted posted && posted.message().body().equals("m9")));
        assertEquals(10, seqs.stream().distinct().count(), "each message once");
        List<Integer> writes = other.writes().subList(before, other.writes().size());
        assertTrue(writes.stream().anyMatch(frames -> frames >= 2), "bob's writes carried " + writes
                + " frames: the backlog should go out together");
        assertTrue(writes.size() < 10, "one write per message: " + writes);
    }

    @Test
    void a_flood_closed_with_4029_still_gets_the_reply_of_every_command_it_sent_before() {
        ChatCore core = core(SessionSettings.builder().commandRate(5, 5).build());
        RoomId room = core.rooms().create(ann, new CreateRoom("Jam", Visibility.OPEN, List.of())).room().id();
        RecordingSink sink = new RecordingSink();
        ChatSession session = open(core, ann, sink);
        sink.await(1);
        int sent = 0;
        while (!session.isClosed() && sent < 1_000) {
            session.handle(new ClientCommand.Send(Optional.of("r" + sent), room, "m" + sent, Optional.empty(),
                    Optional.empty()));
            sent++;
        }
        assertEquals(CloseReason.RATE_LIMITED, sink.awaitClose());
        List<ServerEvent> events = sink.await(1);
        long stored = core.context().log().eventsAfter(room, 0, 10_000).stream()
                .filter(e -> e instanceof RoomEvent.MessagePosted).count();
        long acks = events.stream().filter(e -> e instanceof ServerEvent.Ack).count();
        long refused = events.stream().filter(e -> e instanceof ServerEvent.Error error
                && error.code().equals(ErrorCode.RATE_LIMITED.wireName())).count();
        assertTrue(stored >= 5, "the burst was stored: " + stored);
        assertEquals(stored, acks, "every stored message acknowledged before the close");
        assertTrue(refused >= 1, "told to slow down before being closed");
        assertEquals(sent, acks + refused, "exactly one reply per command sent before the close");
    }

    @Test
    void a_users_sessions_together_stay_under_the_users_command_rate_and_others_are_not_charged() {
        try (TestNode node = TestNode.start(SessionSettings.builder().commandRate(1000, 1000).userCommandRate(1, 3)
                .build())) {
            RecordingSink firstSink = new RecordingSink();
            RecordingSink secondSink = new RecordingSink();
            ChatSession first = node.open(ann, firstSink);
            ChatSession second = node.open(ann, secondSink);
            ChatSession bobs = node.open(bob, new RecordingSink());
            for (int i = 0; i < 3; i++) {
                first.handle(new ClientCommand.Ping(Optional.of("p" + i)));
            }
            second.handle(new ClientCommand.Ping(Optional.of("over")));
            bobs.handle(new ClientCommand.Ping(Optional.of("bob")));

            assertEquals(3, firstSink.await(4).stream().filter(e -> e instanceof ServerEvent.Pong).count());
            ServerEvent refused = secondSink.await(2).getLast();
            assertTrue(refused instanceof ServerEvent.Error error && error.code().equals("rate_limited")
                    && error.message().contains("sessions together"), refused.toString());
            assertFalse(second.isClosed(), "refused, not closed: the session itself kept its own rate");
            assertFalse(bobs.isClosed());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    @Test
    void a_user_holds_at_most_the_configured_live_connections_and_a_closed_one_frees_its_place() {
        try (TestNode capped = TestNode.start(SessionSettings.builder().maxConnectionsPerUser(2).build())) {
            ChatSession first = capped.open(ann, new RecordingSink());
            capped.open(ann, new RecordingSink());
            assertFalse(capped.hub().admits(ann.id()));
            ParleyException refused = assertThrows(ParleyException.class, () -> capped.open(ann, new RecordingSink()));
            assertEquals(ErrorCode.RATE_LIMITED, refused.code());
            assertTrue(capped.hub().admits(bob.id()), "per user");
            capped.open(bob, new RecordingSink());

            first.transportClosed();
            assertTrue(capped.hub().admits(ann.id()));
            capped.open(ann, new RecordingSink());
            assertEquals(3, capped.hub().sessions().size());
        }
    }

    private ChatSession open(ChatCore core, User user, SessionSink sink) {
        return node.open(user, sink);
    }

    private static List<Long> seqs(List<ServerEvent> events) {
        return events.stream()
                .filter(e -> e instanceof ServerEvent.Durable)
                .map(e -> ((ServerEvent.Durable) e).event().seq())
                .toList();
    }

    private static int indexOf(List<ServerEvent> events, Predicate<ServerEvent> matching) {
        for (int i = 0; i < events.size(); i++) {
            if (matching.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not found in " + events);
    }

    @Test
    void a_session_opens_and_ends_while_the_store_cannot_list_the_users_rooms_for_presence() {
        InMemoryStore store = InMemoryStore.create();
        Rooms failing = new Rooms() {
            @Override
            public List<RoomEvent.MemberJoined> create(Room room, List<UserId> members) {
                return store.rooms().create(room, members);
            }

            @Override
            public Optional<Room> find(RoomId id) {
                return store.rooms().find(id);
            }

            @Override
            public Optional<RoomEvent.RoomDeleted> delete(RoomId room, UserId by, java.time.Instant at) {
                return store.rooms().delete(room, by, at);
            }

            @Override
            public boolean isMember(RoomId room, UserId user) {
                return store.rooms().isMember(room, user);
            }

            @Override
            public List<UserId> members(RoomId room) {
                return store.rooms().members(room);
            }

            @Override
            public Optional<Role> roleOf(RoomId room, UserId user) {
                return store.rooms().roleOf(room, user);
            }

            @Override
            public List<Member> membersWithRoles(RoomId room) {
                return store.rooms().membersWithRoles(room);
            }

            @Override
            public void rememberName(User user) {
                store.rooms().rememberName(user);
            }

            @Override
            public Map<UserId, String> namesOf(Collection<UserId> users) {
                return store.rooms().namesOf(users);
            }

            @Override
            public boolean isBanned(RoomId room, UserId user) {
                return store.rooms().isBanned(room, user);
            }

            @Override
            public List<UserId> banned(RoomId room) {
                return store.rooms().banned(room);
            }

            @Override
            public List<RoomId> roomsOf(UserId user) {
                throw new ParleyException(ErrorCode.UNAVAILABLE, "the database is unavailable");
            }

            @Override
            public Map<RoomId, Long> lastSeqsOf(UserId user) {
                return store.rooms().lastSeqsOf(user);
            }

            @Override
            public DirectoryQuery.Page directory(DirectoryQuery query) {
                return store.rooms().directory(query);
            }

            @Override
            public RoomListPage summariesOf(UserId user, RoomListQuery query) {
                return store.rooms().summariesOf(user, query);
            }
        };
        node = TestNode.start(failing, store.log(), InMemoryFanout.create(), SessionSettings.defaults());
        ChatCore core = node.core();
        RecordingSink sink = new RecordingSink();
        ChatSession session = open(core, ann, sink);

        // Announcing presence reads the user's rooms and fails; the session opens all the same.
        assertInstanceOf(ServerEvent.Welcome.class, sink.await(1).getFirst());
        session.handle(new ClientCommand.Ping(Optional.of("p")));
        sink.awaitMatching(e -> e instanceof ServerEvent.Pong);
        assertFalse(session.isClosed());
        session.close(CloseReason.NORMAL);
        assertEquals(CloseReason.NORMAL, sink.awaitClose());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void get(Future<?> future) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
