package io.parley.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.application.port.in.ManageRooms;
import io.parley.domain.DirectPair;
import io.parley.domain.ErrorCode;
import io.parley.domain.HistoryPage;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.engine.ServerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.parley.wire.Samples.ALICE;
import static io.parley.wire.Samples.MESSAGE_JSON;
import static io.parley.wire.Samples.ROOM;
import static io.parley.wire.Samples.SENT;
import static io.parley.wire.Samples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestBodiesTest {
    private static final Room OPEN_ROOM = new Room(ROOM, "General", Visibility.OPEN, ALICE, SENT);

    private final ProtocolCodec codec = ProtocolCodec.create();

    @Test
    void a_created_room_carries_its_fields_and_last_seq() {
        assertEquals(json("{'id':'room-1','kind':'group','name':'General','visibility':'open','topic':null,"
                        + "'avatar_url':null,'metadata':{},'archived':false,'owner':'alice',"
                        + "'created_at':'2024-05-01T12:00:00Z','last_seq':1}"),
                codec.encodeRoom(OPEN_ROOM, 1));
    }

    @Test
    void a_direct_conversation_says_so_and_names_the_other_person_with_their_presence() {
        Room direct = Room.direct(DirectPair.of(ALICE, UserId.of("bob")), ALICE, SENT);
        ManageRooms.Peer bob = new ManageRooms.Peer("Bob B.", new Presence(UserId.of("bob"), PresenceStatus.AWAY,
                SENT.plusSeconds(9)));
        assertEquals(json("{'id':'" + direct.id() + "','kind':'direct','peer':{'user':'bob','display_name':'Bob B.',"
                        + "'status':'away','last_seen':'2024-05-01T12:00:09Z'},'name':'','visibility':'private',"
                        + "'topic':null,'avatar_url':null,'metadata':{},'archived':false,'owner':'alice',"
                        + "'created_at':'2024-05-01T12:00:00Z','last_seq':2}"),
                codec.encodeRoom(direct, 2, Optional.of(bob)));
        assertTrue(codec.encodeRooms(new RoomListPage(List.of(new RoomSummary(direct, 2, SENT, 0, 0)), Optional.empty()),
                Map.of(direct.id(), bob)).contains("'display_name':'Bob B.'".replace('\'', '"')));
    }

    @Test
    void the_room_list_adds_activity_read_marker_and_unread_count_and_says_where_the_next_page_starts()
            throws Exception {
        Room secret = new Room(RoomId.of("r 2"), "Secret", Visibility.PRIVATE, UserId.of("bob"), SENT);
        RoomSummary last = new RoomSummary(secret, 0, SENT, 0, 0);
        String encoded = codec.encodeRooms(new RoomListPage(List.of(new RoomSummary(OPEN_ROOM, 12,
                SENT.plusSeconds(5), 4, 3), last), Optional.of(RoomListQuery.Position.of(last))));
        ObjectNode page = (ObjectNode) new ObjectMapper().readTree(encoded);
        String next = page.remove("next").asText();

        assertEquals(json("{'rooms':[{'id':'room-1','kind':'group','name':'General','visibility':'open','topic':null,"
                        + "'avatar_url':null,'metadata':{},'archived':false,'owner':'alice',"
                        + "'created_at':'2024-05-01T12:00:00Z','last_seq':12,'last_event_at':'2024-05-01T12:00:05Z',"
                        + "'read_up_to':4,'unread':3,'mentions':0},"
                        + "{'id':'r 2','kind':'group','name':'Secret','visibility':'private','topic':null,"
                        + "'avatar_url':null,'metadata':{},'archived':false,'owner':'bob',"
                        + "'created_at':'2024-05-01T12:00:00Z','last_seq':0,'last_event_at':'2024-05-01T12:00:00Z',"
                        + "'read_up_to':0,'unread':0,'mentions':0}],'has_more':true}"),
                page.toString());
        assertEquals(RoomListQuery.Position.of(last), codec.decodeRoomCursor(next));
        assertTrue(next.matches("[A-Za-z0-9_-]+"), next);
        assertEquals(json("{'rooms':[],'has_more':false}"),
                codec.encodeRooms(new RoomListPage(List.of(), Optional.empty())));
    }

    @Test
    void a_cursor_the_server_did_not_issue_is_invalid() {
        for (String cursor : List.of("", "not base64!", "bm8tc3BhY2U", "bm90LWEtdGltZSByb29t", "A".repeat(2000),
                java.util.Base64.getUrlEncoder().encodeToString("2024-05-01T12:00:00Z \u0000".getBytes()))) {
            ParleyException refused = assertThrows(ParleyException.class, () -> codec.decodeRoomCursor(cursor),
                    cursor);
            assertEquals(ErrorCode.INVALID, refused.code(), cursor);
        }
    }

    @Test
    void history_uses_the_same_message_objects_as_events() {
        assertEquals(json("{'messages':[") + MESSAGE_JSON + json("],'has_more':true}"),
                codec.encodeHistory(new HistoryPage(List.of(Samples.message()), true)));
        assertEquals(json("{'messages':[],'has_more':false}"), codec.encodeHistory(new HistoryPage(List.of(), false)));
    }

    @Test
    void presence_lists_every_member() {
        assertEquals(json("{'members':[{'user':'alice','status':'online','last_seen':'2024-05-01T12:00:00Z'},"
                        + "{'user':'bob','status':'offline','last_seen':'1970-01-01T00:00:00Z'}]}"),
                codec.encodePresence(List.of(new Presence(ALICE, PresenceStatus.ONLINE, SENT),
                        Presence.neverSeen(UserId.of("bob")))));
    }

    @Test
    void an_error_body_nests_code_and_message() {
        assertEquals(json("{'error':{'code':'not_found','message':'no room \\'x\\''}}"),
                codec.encodeError(ErrorCode.NOT_FOUND.wireName(), "no room \"x\""));
    }

    @Test
    void a_rest_event_is_the_same_object_subscribers_receive() {
        RoomEvent joined = new RoomEvent.MemberJoined(ROOM, 3, UserId.of("bob"), SENT);
        assertEquals(json("{'type':'member_joined','room':'room-1','seq':3,'user':'bob'}"), codec.encodeEvent(joined));
        assertEquals(codec.encode(new ServerEvent.Durable(joined)), codec.encodeEvent(joined));
    }

    @Test
    void create_room_reads_name_visibility_and_members() {
        assertEquals(new CreateRoomRequest("Team", Visibility.PRIVATE, List.of(UserId.of("bob"), UserId.of("carol"))),
                codec.decodeCreateRoom(json("{'name':'Team','visibility':'private','members':['bob','carol'],'x':1}")));
    }

    @Test
    void create_room_defaults_to_open_with_no_extra_members() {
        assertEquals(new CreateRoomRequest("Team", Visibility.OPEN, List.of()), codec.decodeCreateRoom(json("{'name':'Team'}")));
        assertEquals(new CreateRoomRequest("Team", Visibility.OPEN, List.of()),
                codec.decodeCreateRoom(json("{'name':'Team','visibility':null,'members':null}")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'visibility':'open'}                  | name: required string",
            "{'name':7}                             | name: required string",
            "{'name':'T','visibility':'secret'}     | visibility: must be open or private",
            "{'name':'T','visibility':true}         | visibility: must be a string",
            "{'name':'T','members':'bob'}           | members: must be an array of user ids",
            "{'name':'T','members':['bob',3]}       | members[1]: must be a string",
            "{'name':'T','members':['']}            | members[0]: user id must not be empty",
            "['T']                                  | request body must be a JSON object",
            "{'name':'T'                            | malformed JSON at line 1, column 12",
    })
    void create_room_refuses_bad_bodies_as_invalid_naming_the_field(String body, String message) {
        ParleyException e = assertThrows(ParleyException.class, () -> codec.decodeCreateRoom(json(body)));
        assertEquals(ErrorCode.INVALID, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void create_room_refuses_an_empty_body() {
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> codec.decodeCreateRoom("")).code());
        assertEquals(ErrorCode.INVALID, assertThrows(ParleyException.class, () -> codec.decodeCreateRoom(null)).code());
    }
}
