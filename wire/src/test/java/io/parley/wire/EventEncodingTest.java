package io.parley.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.domain.ErrorCode;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.ReplyPreview;
import io.parley.domain.Role;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.engine.ServerEvent;
import io.parley.engine.TransportKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.parley.wire.Samples.ALICE;
import static io.parley.wire.Samples.EDITED;
import static io.parley.wire.Samples.MESSAGE_JSON;
import static io.parley.wire.Samples.ROOM;
import static io.parley.wire.Samples.SENT;
import static io.parley.wire.Samples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEncodingTest {
    private static final Optional<String> REF = Optional.of("r1");

    private final ProtocolCodec codec = ProtocolCodec.create();
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode parse(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void welcome_names_user_session_transport_heartbeat_and_resumption() {
        assertEquals(json("{'type':'welcome','user':'alice','session':'s-1','transport':'long-poll','heartbeat_ms':25000,"
                        + "'resumed':true}"),
                codec.encode(new ServerEvent.Welcome(ALICE, "s-1", TransportKind.LONG_POLL, 25_000, true)));
        assertEquals(json("{'type':'welcome','user':'alice','session':'s-2','transport':'websocket','heartbeat_ms':1,"
                        + "'resumed':false}"),
                codec.encode(new ServerEvent.Welcome(ALICE, "s-2", TransportKind.WEBSOCKET, 1, false)));
    }

    @Test
    void a_plain_ack_carries_only_its_ref_and_omits_an_absent_one() {
        assertEquals(json("{'type':'ack','ref':'r1'}"), codec.encode(new ServerEvent.Ack(REF, new ServerEvent.Done())));
        assertEquals(json("{'type':'ack'}"), codec.encode(new ServerEvent.Ack(Optional.empty(), new ServerEvent.Done())));
    }

    @Test
    void a_send_ack_carries_the_stored_message() {
        assertEquals(json("{'type':'ack','ref':'r1','message':") + MESSAGE_JSON + "}",
                codec.encode(new ServerEvent.Ack(REF, new ServerEvent.Posted(Samples.message()))));
    }

    @Test
    void a_change_ack_carries_the_event_exactly_as_subscribers_receive_it() {
        RoomEvent edited = new RoomEvent.MessageEdited(ROOM, 8, MessageId.of("m-1"), "fixed", EDITED);
        assertEquals(json("{'type':'ack','ref':'r1','event':{'type':'message_edited','room':'room-1','seq':8,"
                        + "'message_id':'m-1','body':'fixed','edited_at':'2024-05-01T12:00:03.120Z'}}"),
                codec.encode(new ServerEvent.Ack(REF, new ServerEvent.Changed(edited))));
        assertEquals("{\"type\":\"ack\",\"ref\":\"r1\",\"event\":" + codec.encode(new ServerEvent.Durable(edited)) + "}",
                codec.encode(new ServerEvent.Ack(REF, new ServerEvent.Changed(edited))));
    }

    @Test
    void a_subscribe_ack_reports_last_seq_replayed_and_completeness() {
        assertEquals(json("{'type':'ack','ref':'r1','room':'room-1','last_seq':9,'replayed':3,'complete':false}"),
                codec.encode(new ServerEvent.Ack(REF, new ServerEvent.Subscribed(ROOM, 9, 3, false))));
    }

    @Test
    void an_inbox_subscribe_ack_lists_every_room() {
        ServerEvent.InboxSubscribed inbox = new ServerEvent.InboxSubscribed(List.of(
                new ServerEvent.Subscribed(ROOM, 9, 3, true),
                new ServerEvent.Subscribed(RoomId.of("b"), 0, 0, true)));
        assertEquals(json("{'type':'ack','ref':'r1','rooms':[{'room':'room-1','last_seq':9,'replayed':3,'complete':true},"
                        + "{'room':'b','last_seq':0,'replayed':0,'complete':true}]}"),
                codec.encode(new ServerEvent.Ack(REF, inbox)));
        assertEquals(json("{'type':'ack','rooms':[]}"),
                codec.encode(new ServerEvent.Ack(Optional.empty(), new ServerEvent.InboxSubscribed(List.of()))));
    }

    @Test
    void an_error_carries_code_and_message_and_its_ref_only_when_known() {
        assertEquals(json("{'type':'error','ref':'r1','code':'forbidden','message':'not yours'}"),
                codec.encode(ServerEvent.Error.of(REF, ErrorCode.FORBIDDEN, "not yours")));
        assertEquals(json("{'type':'error','code':'unknown_type','message':'unknown type: x'}"),
                codec.encode(new ServerEvent.Error(Optional.empty(), "unknown_type", "unknown type: x")));
    }

    @Test
    void a_message_event_wraps_the_message_with_null_for_absent_attachment_and_edit() throws Exception {
        String text = codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(Samples.message())));
        assertEquals(json("{'type':'message','room':'room-1','seq':5,'message':") + MESSAGE_JSON + "}", text);
        JsonNode message = parse(text).get("message");
        assertTrue(message.has("attachment_url") && message.get("attachment_url").isNull());
        assertTrue(message.has("edited_at") && message.get("edited_at").isNull());
    }

    @Test
    void a_message_with_attachment_and_edit_carries_both() throws Exception {
        JsonNode message = parse(codec.encode(new ServerEvent.Durable(
                new RoomEvent.MessagePosted(Samples.editedMessageWithAttachment())))).get("message");
        assertEquals("https://f/x.png", message.get("attachment_url").textValue());
        assertEquals("2024-05-01T12:00:03.120Z", message.get("edited_at").textValue());
    }

    @Test
    void a_tombstone_has_no_body_no_attachment_and_deleted_true() throws Exception {
        Message tombstone = Samples.editedMessageWithAttachment().tombstone();
        JsonNode message = parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(tombstone))))
                .get("message");
        assertTrue(message.get("body").isNull());
        assertTrue(message.get("attachment_url").isNull());
        assertTrue(message.get("deleted").booleanValue());
        assertEquals(6, message.get("seq").longValue());
    }

    @Test
    void every_durable_event_carries_room_and_seq_and_its_own_fields() {
        assertEquals(json("{'type':'message_deleted','room':'room-1','seq':9,'message_id':'m-1'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.MessageDeleted(ROOM, 9, MessageId.of("m-1"), SENT))));
        assertEquals(json("{'type':'member_joined','room':'room-1','seq':1,'user':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.MemberJoined(ROOM, 1, ALICE, SENT))));
        assertEquals(json("{'type':'member_left','room':'room-1','seq':2,'user':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.MemberLeft(ROOM, 2, ALICE, SENT))));
        assertEquals(json("{'type':'read','room':'room-1','seq':10,'user':'alice','up_to':7}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.ReadUpTo(ROOM, 10, ALICE, 7, SENT))));
        UserId bob = UserId.of("bob");
        assertEquals(json("{'type':'role_changed','room':'room-1','seq':11,'user':'bob','role':'admin','by':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.RoleChanged(ROOM, 11, bob, Role.ADMIN, ALICE, SENT))));
        assertEquals(json("{'type':'member_banned','room':'room-1','seq':12,'user':'bob','by':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.MemberBanned(ROOM, 12, bob, ALICE, SENT))));
        assertEquals(json("{'type':'member_unbanned','room':'room-1','seq':13,'user':'bob','by':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.MemberUnbanned(ROOM, 13, bob, ALICE, SENT))));
        assertEquals(json("{'type':'room_deleted','room':'room-1','seq':14,'by':'alice'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.RoomDeleted(ROOM, 14, ALICE, SENT))));
        assertEquals(json("{'type':'reaction_added','room':'room-1','seq':15,'message_id':'m-1','emoji':'👍','user':'bob'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.ReactionAdded(ROOM, 15, MessageId.of("m-1"), "👍", bob,
                        SENT))));
        assertEquals(json("{'type':'reaction_removed','room':'room-1','seq':16,'message_id':'m-1','emoji':'👍',"
                        + "'user':'bob'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.ReactionRemoved(ROOM, 16, MessageId.of("m-1"), "👍",
                        bob, SENT))));
        RoomSettings settings = new RoomSettings("Deal", Visibility.PRIVATE, Optional.of("Q3"), Optional.empty(),
                new TreeMap<>(Map.of("deal", "42")), true);
        assertEquals(json("{'type':'room_updated','room':'room-1','seq':14,'by':'alice','changed':['topic','archived'],"
                        + "'name':'Deal','visibility':'private','topic':'Q3','avatar_url':null,'metadata':{'deal':'42'},"
                        + "'archived':true,'updated_at':'2024-05-01T12:00:00Z'}"),
                codec.encode(new ServerEvent.Durable(new RoomEvent.RoomUpdated(ROOM, 14, ALICE, settings,
                        List.of(RoomSettings.Field.TOPIC, RoomSettings.Field.ARCHIVED), SENT))));
    }

    @Test
    void a_reply_carries_its_parents_preview_and_mentions_are_listed_only_when_there_are_some() throws Exception {
        Message reply = new Message(MessageId.of("m-2"), ROOM, 8, ALICE, "Alice", "yes", Optional.empty(), SENT,
                Optional.empty(), false, Optional.of(new ReplyPreview(MessageId.of("m-1"), UserId.of("bob"), "Bob",
                "are you there?", false)), List.of(UserId.of("bob")));
        JsonNode encoded = parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(reply))))
                .get("message");
        assertEquals(json("{'id':'m-1','author':'bob','author_name':'Bob','excerpt':'are you there?','deleted':false}"),
                encoded.get("reply_to").toString());
        assertEquals("[\"bob\"]", encoded.get("mentions").toString());
        Message toDeleted = reply.withReplyTo(new ReplyPreview(MessageId.of("m-1"), UserId.of("bob"), "Bob", "", true));
        assertTrue(parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(toDeleted))))
                .get("message").get("reply_to").get("excerpt").isNull());
        JsonNode plain = parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(Samples.message()))))
                .get("message");
        assertFalse(plain.has("reply_to") || plain.has("mentions"));
    }

    @Test
    void typing_presence_and_pong_have_their_ephemeral_shapes() {
        assertEquals(json("{'type':'typing','room':'room-1','user':'alice','active':true}"),
                codec.encode(new ServerEvent.TypingEvent(new Typing(ROOM, ALICE, true))));
        assertEquals(json("{'type':'presence','user':'alice','status':'away','last_seen':'2024-05-01T12:00:00Z'}"),
                codec.encode(new ServerEvent.PresenceEvent(new Presence(ALICE, PresenceStatus.AWAY, SENT))));
        assertEquals(json("{'type':'presence','user':'bob','status':'offline','last_seen':'1970-01-01T00:00:00Z'}"),
                codec.encode(new ServerEvent.PresenceEvent(Presence.neverSeen(UserId.of("bob")))));
        assertEquals(json("{'type':'pong','ref':'r1'}"), codec.encode(new ServerEvent.Pong(REF)));
        assertEquals(json("{'type':'pong'}"), codec.encode(new ServerEvent.Pong(Optional.empty())));
    }

    @Test
    void timestamps_are_utc_with_a_z_at_any_precision_and_parse_back_exactly() throws Exception {
        for (Instant at : List.of(Instant.EPOCH, SENT, Instant.parse("2024-05-01T12:00:00.000000001Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"))) {
            String lastSeen = parse(codec.encode(new ServerEvent.PresenceEvent(
                    new Presence(ALICE, PresenceStatus.ONLINE, at)))).get("last_seen").textValue();
            assertTrue(lastSeen.endsWith("Z"), lastSeen);
            assertFalse(lastSeen.contains("+"), lastSeen);
            assertEquals(at, Instant.parse(lastSeen));
        }
    }

    @Test
    void text_is_escaped_so_it_parses_back_unchanged() throws Exception {
        String body = "quote \" backslash \\ newline \n tab \t nul \u0000 emoji \uD83D\uDE00 </script> é";
        Message tricky = new Message(MessageId.of("m\"1"), ROOM, 5, ALICE, "A \"lice\"", body, Optional.empty(), SENT,
                Optional.empty(), false);
        JsonNode message = parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessagePosted(tricky))))
                .get("message");
        assertEquals(body, message.get("body").textValue());
        assertEquals("m\"1", message.get("id").textValue());
        assertEquals("A \"lice\"", message.get("author_name").textValue());
    }

    @Test
    void every_event_puts_type_first() throws Exception {
        for (ServerEvent event : allEvents()) {
            String first = parse(codec.encode(event)).fieldNames().next();
            assertEquals("type", first, event.toString());
        }
    }

    @Test
    void encoding_a_message_event_twice_gives_identical_text() {
        ServerEvent event = new ServerEvent.Durable(new RoomEvent.MessagePosted(Samples.editedMessageWithAttachment()));
        String once = codec.encode(event);
        assertEquals(once, codec.encode(event));
        assertEquals(once, ProtocolCodec.create().encode(event));
    }

    @Test
    void one_codec_encodes_the_same_text_from_many_threads() throws Exception {
        List<ServerEvent> events = allEvents();
        List<String> expected = events.stream().map(codec::encode).toList();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < 100; round++) {
                        for (int i = 0; i < events.size(); i++) {
                            assertEquals(expected.get(i), codec.encode(events.get(i)));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
    }

    private static List<ServerEvent> allEvents() {
        RoomEvent edited = new RoomEvent.MessageEdited(ROOM, 8, MessageId.of("m-1"), "fixed", EDITED);
        return List.of(
                new ServerEvent.Welcome(ALICE, "s-1", TransportKind.SSE, 25_000, false),
                new ServerEvent.Ack(REF, new ServerEvent.Done()),
                new ServerEvent.Ack(REF, new ServerEvent.Posted(Samples.message())),
                new ServerEvent.Ack(REF, new ServerEvent.Changed(edited)),
                new ServerEvent.Ack(REF, new ServerEvent.Subscribed(ROOM, 1, 1, true)),
                new ServerEvent.Ack(REF, new ServerEvent.InboxSubscribed(List.of(new ServerEvent.Subscribed(ROOM, 1, 1, true)))),
                new ServerEvent.Error(REF, "invalid", "no"),
                new ServerEvent.Durable(new RoomEvent.MessagePosted(Samples.editedMessageWithAttachment())),
                new ServerEvent.Durable(edited),
                new ServerEvent.Durable(new RoomEvent.MessageDeleted(ROOM, 9, MessageId.of("m-1"), SENT)),
                new ServerEvent.Durable(new RoomEvent.MemberJoined(ROOM, 1, ALICE, SENT)),
                new ServerEvent.Durable(new RoomEvent.MemberLeft(ROOM, 2, ALICE, SENT)),
                new ServerEvent.Durable(new RoomEvent.ReadUpTo(ROOM, 10, ALICE, 7, SENT)),
                new ServerEvent.TypingEvent(new Typing(ROOM, ALICE, false)),
                new ServerEvent.PresenceEvent(new Presence(ALICE, PresenceStatus.ONLINE, SENT)),
                new ServerEvent.Pong(REF));
    }

    @Test
    void an_edit_of_a_message_deleted_since_replays_without_a_body() throws Exception {
        JsonNode edited = parse(codec.encode(new ServerEvent.Durable(new RoomEvent.MessageEdited(
                io.parley.domain.RoomId.of("r"), 7, io.parley.domain.MessageId.of("m"), "",
                java.time.Instant.parse("2024-05-01T12:00:00Z")))));
        assertEquals("message_edited", edited.get("type").asText());
        assertTrue(edited.get("body").isNull());
    }
}
