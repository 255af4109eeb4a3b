package io.parley.engine;

import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.ChatHooks;
import io.parley.domain.ErrorCode;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListQuery;
import io.parley.domain.User;
import io.parley.domain.RoomChange;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedding product's decision hooks ({@link ChatHooks}) as the use cases and the engine ask them: what
 * they see, that a refusal stores nothing and reaches the caller with its reason, that a rewrite is what is
 * stored and delivered, and that Parley's own rules are checked before a hook is asked.
 */
class DecisionHooksTest {
    private final User ann = User.of("ann");
    private final User bob = User.of("bob");
    private final User carl = User.of("carl");
    private final List<Object> asked = new CopyOnWriteArrayList<>();
    private final Set<RoomId> offLimitsToBob = ConcurrentHashMap.newKeySet();
    private TestNode node;

    /** Refuses "spam", rewrites "darn" to "d*rn", keeps carl out of every room and bob's sessions off some. */
    private final ChatHooks hooks = new ChatHooks() {
        @Override
        public SendDecision beforeSend(SendAttempt attempt) {
            asked.add(attempt);
            if (attempt.body().contains("spam")) {
                return SendDecision.reject("no spam here");
            }
            return attempt.body().contains("darn") ? SendDecision.rewrite(attempt.body().replace("darn", "d*rn"))
                    : SendDecision.ALLOW;
        }

        @Override
        public AccessDecision beforeJoin(JoinAttempt attempt) {
            asked.add(attempt);
            return attempt.joiner().equals(carl.id()) ? AccessDecision.deny("carl is not on this deal")
                    : AccessDecision.ALLOW;
        }

        @Override
        public AccessDecision beforeSubscribe(User user, RoomId room) {
            asked.add(room);
            return user.equals(bob) && offLimitsToBob.contains(room) ? AccessDecision.deny("bob reads this room elsewhere")
                    : AccessDecision.ALLOW;
        }
    };

    private ChatCore core() {
        node = TestNode.start(SessionSettings.builder().commandRate(10_000, 10_000).build(), hooks);
        return node.core();
    }

    @AfterEach
    void shutdown() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void a_rejected_message_is_refused_with_the_hooks_reason_and_nothing_is_stored() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Deal 42", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        long before = core.context().log().lastSeq(room);

        ParleyException refused = assertThrows(ParleyException.class,
                () -> core.converse().send(ann, SendMessage.of(room, "buy spam now")));
        assertEquals(ErrorCode.REJECTED, refused.code());
        assertEquals("no spam here", refused.getMessage());
        assertEquals(before, core.context().log().lastSeq(room), "nothing appended");
        ChatHooks.SendAttempt seen = (ChatHooks.SendAttempt) asked.getLast();
        assertEquals(new ChatHooks.SendAttempt(ann, room, "buy spam now", Optional.empty()), seen);
    }

    @Test
    void the_system_authors_notice_is_not_put_to_the_hooks_but_to_the_rooms_rules() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Ticket 42", Visibility.PRIVATE, List.of(bob.id())))
                .room().id();
        asked.clear();

        Message notice = core.converse().announce(room, "spam filter retrained", "Support desk", Optional.of("n1"),
                List.of()).message();

        assertEquals(UserId.SYSTEM, notice.author());
        assertEquals("Support desk", notice.authorName());
        assertEquals(List.of(), asked, "the backend's own notice is not asked about");
        assertTrue(core.converse().announce(room, "again", "Support desk", Optional.of("n1"), List.of()).retry());
        core.rooms().update(ann, room, new RoomChange(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), java.util.Map.of(), Optional.of(true)));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class, () -> core.converse()
                .announce(room, "late", "Support desk", Optional.empty(), List.of())).code(), "archived");
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class,
                () -> core.rooms().addMember(ann, room, UserId.SYSTEM)).code(), "never a member");
    }

    @Test
    void a_rewritten_message_is_stored_and_delivered_as_rewritten_and_edits_are_asked_too() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Deal 42", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RecordingSink sink = new RecordingSink();
        ChatSession session = node.open(bob, sink);
        session.handle(new ClientCommand.Subscribe(Optional.of("s"), room, OptionalLong.empty()));
        sink.awaitMatching(e -> e instanceof ServerEvent.Ack);

        Message sent = core.converse().send(ann, SendMessage.of(room, "oh darn")).message();
        assertEquals("oh d*rn", sent.body());
        ServerEvent delivered = sink.awaitMatching(e -> e instanceof ServerEvent.Durable(RoomEvent.MessagePosted p))
                .getLast();
        assertEquals("oh d*rn", ((RoomEvent.MessagePosted) ((ServerEvent.Durable) delivered).event()).message().body());

        ParleyException refused = assertThrows(ParleyException.class,
                () -> core.converse().edit(ann, room, sent.id(), "spam after all"));
        assertEquals(ErrorCode.REJECTED, refused.code());
        assertEquals(new ChatHooks.SendAttempt(ann, room, "spam after all", Optional.of(sent.id())), asked.getLast());
        RoomEvent edited = core.converse().edit(ann, room, sent.id(), "darn it");
        assertEquals("d*rn it", ((RoomEvent.MessageEdited) edited).body());
        assertEquals(List.of("d*rn it"), core.converse().history(bob, room, HistoryQuery.latest(10)).messages()
                .stream().map(Message::body).toList());
    }

    @Test
    void parleys_own_rules_come_first_so_a_hook_never_sees_what_they_refuse() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Private", Visibility.PRIVATE, List.of()))
                .room().id();
        asked.clear();
        assertThrows(ParleyException.class, () -> core.converse().send(bob, SendMessage.of(room, "spam")));
        assertThrows(ParleyException.class, () -> core.rooms().addMember(bob, room, carl.id()));
        assertThrows(ParleyException.class, () -> core.converse().send(ann, SendMessage.of(room, "")));
        assertEquals(List.of(), asked, "not a member, not allowed to add, an empty body: no hook asked");
    }

    @Test
    void a_denied_join_add_creation_or_direct_conversation_is_forbidden_with_the_reason_and_changes_nothing() {
        ChatCore core = core();
        RoomId open = core.rooms().create(ann, new CreateRoom("Open", Visibility.OPEN, List.of())).room().id();
        long before = core.context().log().lastSeq(open);

        ParleyException join = assertThrows(ParleyException.class, () -> core.rooms().addMember(carl, open, carl.id()));
        assertEquals(ErrorCode.FORBIDDEN, join.code());
        assertEquals("carl is not on this deal", join.getMessage());
        assertEquals(ChatHooks.JoinAttempt.Way.JOIN, ((ChatHooks.JoinAttempt) asked.getLast()).way());
        ParleyException add = assertThrows(ParleyException.class, () -> core.rooms().addMember(ann, open, carl.id()));
        assertEquals(ErrorCode.FORBIDDEN, add.code());
        assertEquals(new ChatHooks.JoinAttempt(ann, carl.id(), open, ChatHooks.JoinAttempt.Way.ADD), asked.getLast());
        assertEquals(before, core.context().log().lastSeq(open));
        assertTrue(core.rooms().addMember(bob, open, bob.id()).isPresent(), "others still join");

        assertThrows(ParleyException.class, () -> core.rooms().create(ann,
                new CreateRoom("With carl", Visibility.PRIVATE, List.of(bob.id(), carl.id()))));
        assertEquals(1, core.rooms().roomsOf(ann, RoomListQuery.first(50)).rooms().size(),
                "no room was created");
        ParleyException direct = assertThrows(ParleyException.class, () -> core.rooms().openDirect(ann, carl.id()));
        assertEquals(ErrorCode.FORBIDDEN, direct.code());
        ChatHooks.JoinAttempt dm = (ChatHooks.JoinAttempt) asked.getLast();
        assertEquals(ChatHooks.JoinAttempt.Way.DIRECT, dm.way());
        assertEquals(carl.id(), dm.joiner());
        assertTrue(core.rooms().openDirect(ann, bob.id()).created());
    }

    @Test
    void a_denied_subscribe_is_answered_forbidden_with_the_reason_and_the_session_gets_nothing_of_the_room() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Loud", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        RoomId quiet = core.rooms().create(ann, new CreateRoom("Quiet", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        offLimitsToBob.add(room);
        RecordingSink sink = new RecordingSink();
        ChatSession session = node.open(bob, sink);
        session.handle(new ClientCommand.Subscribe(Optional.of("loud"), room, OptionalLong.of(0)));
        ServerEvent.Error refused = (ServerEvent.Error) sink.awaitMatching(e -> e instanceof ServerEvent.Error)
                .getLast();
        assertEquals(Optional.of("loud"), refused.ref());
        assertEquals("forbidden", refused.code());
        assertEquals("bob reads this room elsewhere", refused.message());

        session.handle(new ClientCommand.Subscribe(Optional.of("quiet"), quiet, OptionalLong.empty()));
        assertInstanceOf(ServerEvent.Ack.class, sink.awaitMatching(e -> e instanceof ServerEvent.Ack).getLast());
        core.converse().send(ann, SendMessage.of(room, "in loud"));
        core.converse().send(ann, SendMessage.of(quiet, "in quiet"));
        List<ServerEvent> events = sink.awaitMatching(e -> e instanceof ServerEvent.Durable(RoomEvent.MessagePosted p)
                && p.message().body().equals("in quiet"));
        assertTrue(events.stream().noneMatch(e -> e instanceof ServerEvent.Durable d && d.event().room().equals(room)),
                "nothing of the refused room, not even its replay: " + events);
    }

    @Test
    void the_inbox_follows_every_room_of_the_member_without_asking_the_subscribe_hook() {
        ChatCore core = core();
        RoomId room = core.rooms().create(ann, new CreateRoom("Loud", Visibility.OPEN, List.of(bob.id())))
                .room().id();
        offLimitsToBob.add(room);
        RecordingSink sink = new RecordingSink();
        ChatSession session = node.open(bob, sink);
        session.handle(new ClientCommand.SubscribeInbox(Optional.of("inbox"), Map.of()));
        ServerEvent.Ack ack = (ServerEvent.Ack) sink.awaitMatching(e -> e instanceof ServerEvent.Ack).getLast();
        assertEquals(Optional.of("inbox"), ack.ref(), "one room the hook keeps bob's room subscriptions off does "
                + "not break his inbox, whose rooms the join hook decided");
        RoomId later = core.rooms().create(ann, new CreateRoom("Later", Visibility.OPEN, List.of())).room().id();
        offLimitsToBob.add(later);
        core.rooms().addMember(ann, later, bob.id());
        core.converse().send(ann, SendMessage.of(later, "followed"));
        sink.awaitMatching(e -> e instanceof ServerEvent.Durable(RoomEvent.MessagePosted p)
                && p.message().body().equals("followed"));
    }
}
