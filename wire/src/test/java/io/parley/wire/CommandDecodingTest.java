package io.parley.wire;

import io.parley.domain.MessageId;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.engine.ClientCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CommandDecodingTest {
    private static final Optional<String> REF = Optional.of("r1");
    private static final RoomId ROOM = RoomId.of("room-1");

    private final ProtocolCodec codec = ProtocolCodec.create();

    private ClientCommand command(String json) {
        Decoded decoded = codec.decode(json.replace('\'', '"'));
        return assertInstanceOf(Decoded.Command.class, decoded, () -> "rejected: " + decoded).command();
    }

    private String rejectedCode(String json) {
        Decoded decoded = codec.decode(json.replace('\'', '"'));
        return assertInstanceOf(Decoded.Rejected.class, decoded, () -> "accepted: " + decoded).error().code();
    }

    @Test
    void react_and_unreact_name_a_message_and_an_emoji() {
        assertEquals(new ClientCommand.React(REF, ROOM, MessageId.of("m-1"), "👍"),
                command("{'type':'react','ref':'r1','room':'room-1','message_id':'m-1','emoji':'👍'}"));
        assertEquals(new ClientCommand.Unreact(REF, ROOM, MessageId.of("m-1"), "👍"),
                command("{'type':'unreact','ref':'r1','room':'room-1','message_id':'m-1','emoji':'👍'}"));
        assertEquals("invalid", rejectedCode("{'type':'react','room':'room-1','message_id':'m-1'}"));
        assertEquals("invalid", rejectedCode("{'type':'react','room':'room-1','emoji':'👍'}"));
    }

    @Test
    void a_send_may_answer_a_message_and_mention_users() {
        assertEquals(new ClientCommand.Send(REF, ROOM, "hi", Optional.empty(), Optional.empty(),
                        Optional.of(MessageId.of("m-1")), List.of(UserId.of("bob"), UserId.of("carol"))),
                command("{'type':'send','ref':'r1','room':'room-1','body':'hi','reply_to':'m-1',"
                        + "'mentions':['bob','carol']}"));
        for (String bad : List.of("'mentions':'bob'", "'mentions':[7]", "'mentions':['']", "'reply_to':7",
                "'reply_to':''")) {
            assertEquals("invalid", rejectedCode("{'type':'send','room':'room-1','body':'hi'," + bad + "}"), bad);
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("'u").append(i).append("'");
        }
        assertEquals("too_large", rejectedCode("{'type':'send','room':'room-1','body':'hi','mentions':[" + many + "]}"));
    }

    @Test
    void subscribe_without_after_is_a_live_only_room_subscription() {
        assertEquals(new ClientCommand.Subscribe(REF, ROOM, OptionalLong.empty()),
                command("{'type':'subscribe','ref':'r1','room':'room-1'}"));
    }

    @Test
    void subscribe_with_after_replays_from_that_seq() {
        assertEquals(new ClientCommand.Subscribe(REF, ROOM, OptionalLong.of(0)),
                command("{'type':'subscribe','ref':'r1','room':'room-1','after':0}"));
        assertEquals(new ClientCommand.Subscribe(Optional.empty(), ROOM, OptionalLong.of(9_007_199_254_740_991L)),
                command("{'type':'subscribe','room':'room-1','after':9007199254740991}"), "the largest seq allowed");
    }

    @Test
    void subscribe_to_star_is_an_inbox_subscription_with_seqs_per_room() {
        assertEquals(new ClientCommand.SubscribeInbox(REF, Map.of(ROOM, 7L, RoomId.of("b"), 0L)),
                command("{'type':'subscribe','ref':'r1','room':'*','after':{'room-1':7,'b':0}}"));
        assertEquals(new ClientCommand.SubscribeInbox(Optional.empty(), Map.of()),
                command("{'type':'subscribe','room':'*'}"));
    }

    @Test
    void unsubscribe_from_a_room_or_from_the_inbox() {
        assertEquals(new ClientCommand.Unsubscribe(REF, ROOM), command("{'type':'unsubscribe','ref':'r1','room':'room-1'}"));
        assertEquals(new ClientCommand.UnsubscribeInbox(REF), command("{'type':'unsubscribe','ref':'r1','room':'*'}"));
    }

    @Test
    void join_and_leave_name_the_room() {
        assertEquals(new ClientCommand.Join(REF, ROOM), command("{'type':'join','ref':'r1','room':'room-1'}"));
        assertEquals(new ClientCommand.Leave(REF, ROOM), command("{'type':'leave','ref':'r1','room':'room-1'}"));
    }

    @Test
    void send_carries_body_and_its_optional_client_id_and_attachment() {
        assertEquals(new ClientCommand.Send(REF, ROOM, "héllo \uD83D\uDE00\n", Optional.of("c-1"), Optional.of("https://x/y.png")),
                command("{'type':'send','ref':'r1','room':'room-1','body':'héllo \\uD83D\\uDE00\\n',"
                        + "'client_id':'c-1','attachment_url':'https://x/y.png'}"));
        assertEquals(new ClientCommand.Send(Optional.empty(), ROOM, "hi", Optional.empty(), Optional.empty()),
                command("{'type':'send','room':'room-1','body':'hi'}"));
    }

    @Test
    void optional_fields_sent_as_null_count_as_absent() {
        assertEquals(new ClientCommand.Send(Optional.empty(), ROOM, "hi", Optional.empty(), Optional.empty()),
                command("{'type':'send','ref':null,'room':'room-1','body':'hi','client_id':null,'attachment_url':null}"));
        assertEquals(new ClientCommand.Subscribe(Optional.empty(), ROOM, OptionalLong.empty()),
                command("{'type':'subscribe','room':'room-1','after':null}"));
    }

    @Test
    void send_leaves_size_checks_to_the_use_case() {
        String huge = "x".repeat(100_000);
        assertEquals(new ClientCommand.Send(REF, ROOM, huge, Optional.empty(), Optional.empty()),
                command("{'type':'send','ref':'r1','room':'room-1','body':'" + huge + "'}"));
        assertEquals(new ClientCommand.Send(REF, ROOM, "", Optional.empty(), Optional.empty()),
                command("{'type':'send','ref':'r1','room':'room-1','body':''}"));
    }

    @Test
    void edit_and_delete_name_the_message() {
        assertEquals(new ClientCommand.Edit(REF, ROOM, MessageId.of("m-1"), "fixed"),
                command("{'type':'edit','ref':'r1','room':'room-1','message_id':'m-1','body':'fixed'}"));
        assertEquals(new ClientCommand.Delete(REF, ROOM, MessageId.of("m-1")),
                command("{'type':'delete','ref':'r1','room':'room-1','message_id':'m-1'}"));
    }

    @Test
    void typing_carries_active() {
        assertEquals(new ClientCommand.Typing(REF, ROOM, true), command("{'type':'typing','ref':'r1','room':'room-1','active':true}"));
        assertEquals(new ClientCommand.Typing(REF, ROOM, false), command("{'type':'typing','ref':'r1','room':'room-1','active':false}"));
    }

    @Test
    void read_carries_the_seq() {
        assertEquals(new ClientCommand.Read(REF, ROOM, 42), command("{'type':'read','ref':'r1','room':'room-1','seq':42}"));
        assertEquals(new ClientCommand.Read(REF, ROOM, 0), command("{'type':'read','ref':'r1','room':'room-1','seq':0}"));
    }

    @Test
    void presence_accepts_online_and_away() {
        assertEquals(new ClientCommand.SetPresence(REF, PresenceStatus.ONLINE), command("{'type':'presence','ref':'r1','status':'online'}"));
        assertEquals(new ClientCommand.SetPresence(REF, PresenceStatus.AWAY), command("{'type':'presence','ref':'r1','status':'away'}"));
    }

    @Test
    void ping_needs_nothing_but_may_carry_a_ref() {
        assertEquals(new ClientCommand.Ping(REF), command("{'type':'ping','ref':'r1'}"));
        assertEquals(new ClientCommand.Ping(Optional.empty()), command("{'type':'ping'}"));
    }

    @Test
    void unknown_fields_are_ignored_wherever_they_are() {
        assertEquals(new ClientCommand.Join(REF, ROOM),
                command("{'extra':{'deep':[1,2,{'x':null}]},'type':'join','room':'room-1','ref':'r1','v':2}"));
    }

    @Test
    void surrounding_white_space_is_fine() {
        assertEquals(new ClientCommand.Ping(REF), command(" \n\t{'type':'ping','ref':'r1'}\r\n "));
    }
}
