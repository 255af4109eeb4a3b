package io.parley.wire;

import io.parley.engine.ServerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandRejectionTest {
    private final ProtocolCodec codec = ProtocolCodec.create();

    private ServerEvent.Error rejected(String json) {
        Decoded decoded = codec.decode(json.replace('\'', '"'));
        return assertInstanceOf(Decoded.Rejected.class, decoded, () -> "accepted: " + decoded).error();
    }

    private void assertInvalid(String json, String message) {
        assertEquals(new ServerEvent.Error(Optional.of("r1"), "invalid", message), rejected(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{'type':'ping',}", "{'type':'ping'} x", "{}{}", "{'type':ping}",
            "{'type':'ping','ref':'r1','ref':'r2'}", "\uFEFF{'type':'ping'}"})
    void malformed_json_is_invalid_without_a_ref(String json) {
        ServerEvent.Error error = rejected(json);
        assertEquals("invalid", error.code());
        assertEquals(Optional.empty(), error.ref());
        assertTrue(error.message().startsWith("malformed JSON"), error.message());
    }

    @Test
    void malformed_json_says_where_without_echoing_the_input() {
        ServerEvent.Error error = rejected("{'type':'ping', secret}");
        assertTrue(error.message().matches("malformed JSON at line 1, column \\d+"), error.message());
    }

    @Test
    void absurdly_deep_nesting_is_invalid_not_a_stack_overflow() {
        ServerEvent.Error error = rejected("{'type':'ping','x':" + "[".repeat(100_000));
        assertEquals("invalid", error.code());
    }

    @Test
    void null_text_is_invalid() {
        Decoded decoded = codec.decode(null);
        assertEquals("invalid", assertInstanceOf(Decoded.Rejected.class, decoded).error().code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{'type':'ping'}]", "42", "'ping'", "null", "true"})
    void a_frame_that_is_not_an_object_is_invalid(String json) {
        assertEquals(new ServerEvent.Error(Optional.empty(), "invalid", "command must be a JSON object"), rejected(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'ref':'r1'}", "{'ref':'r1','type':1}", "{'ref':'r1','type':null}", "{'ref':'r1','type':['ping']}"})
    void a_missing_or_non_string_type_is_invalid_and_keeps_the_ref(String json) {
        assertInvalid(json, "type: required string");
    }

    @Test
    void an_unknown_type_is_unknown_type_and_keeps_the_ref() {
        assertEquals(new ServerEvent.Error(Optional.of("r1"), "unknown_type", "unknown type: shout"),
                rejected("{'type':'shout','ref':'r1','room':'room-1'}"));
        assertEquals("unknown_type", rejected("{'type':'Ping'}").code());
    }

    @Test
    void an_unknown_type_is_echoed_only_in_part() {
        String message = rejected("{'type':'" + "x".repeat(10_000) + "'}").message();
        assertEquals("unknown type: " + "x".repeat(64) + "…", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "{}", "['r1']"})
    void a_non_string_ref_is_invalid_without_a_ref(String ref) {
        assertEquals(new ServerEvent.Error(Optional.empty(), "invalid", "ref: must be a string"),
                rejected("{'type':'ping','ref':" + ref + "}"));
    }

    @Test
    void an_unknown_type_with_a_bad_ref_reports_the_ref_first() {
        assertEquals(new ServerEvent.Error(Optional.empty(), "invalid", "ref: must be a string"),
                rejected("{'type':'shout','ref':1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscribe", "unsubscribe", "join", "leave", "send", "edit", "delete", "typing", "read"})
    void every_room_command_requires_a_string_room(String type) {
        assertInvalid("{'type':'" + type + "','ref':'r1'}", "room: required string");
        assertInvalid("{'type':'" + type + "','ref':'r1','room':7}", "room: required string");
        assertInvalid("{'type':'" + type + "','ref':'r1','room':null}", "room: required string");
    }

    @Test
    void room_ids_are_checked_by_the_domain_and_named_in_the_error() {
        assertInvalid("{'type':'join','ref':'r1','room':''}", "room: room id must not be empty");
        assertInvalid("{'type':'join','ref':'r1','room':' x'}", "room: room id must not start or end with white space");
        assertInvalid("{'type':'join','ref':'r1','room':'a\\u0000b'}", "room: room id must not contain control characters");
        assertInvalid("{'type':'join','ref':'r1','room':'" + "x".repeat(129) + "'}",
                "room: room id is longer than 128 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740992", "9223372036854775807"})
    void seqs_beyond_the_largest_exact_javascript_integer_are_refused_at_the_edge(String seq) {
        assertInvalid("{'type':'subscribe','ref':'r1','room':'room-1','after':" + seq + "}",
                "after: must be at most 9007199254740991");
        assertInvalid("{'type':'read','ref':'r1','room':'room-1','seq':" + seq + "}",
                "seq: must be at most 9007199254740991");
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':{'a':" + seq + "}}",
                "after.a: must be at most 9007199254740991");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "1.0", "'5'", "true", "{}", "[1]", "1180591620717411303424"})
    void subscribe_after_must_be_a_non_negative_integer(String after) {
        assertInvalid("{'type':'subscribe','ref':'r1','room':'room-1','after':" + after + "}", "after: must be an integer >= 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "'x'", "[]", "true"})
    void inbox_after_must_be_an_object(String after) {
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':" + after + "}",
                "after: must be an object of room id to seq when room is \"*\"");
    }

    @Test
    void inbox_after_checks_each_room_id_and_seq() {
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':{'':1}}", "after: room id must not be empty");
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':{'a':1,'b':-1}}", "after.b: must be an integer >= 0");
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':{'a':'1'}}", "after.a: must be an integer >= 0");
        assertInvalid("{'type':'subscribe','ref':'r1','room':'*','after':{'a':null}}", "after.a: must be an integer >= 0");
    }

    @Test
    void send_requires_a_string_body_and_string_options() {
        assertInvalid("{'type':'send','ref':'r1','room':'room-1'}", "body: required string");
        assertInvalid("{'type':'send','ref':'r1','room':'room-1','body':null}", "body: required string");
        assertInvalid("{'type':'send','ref':'r1','room':'room-1','body':{'text':'hi'}}", "body: required string");
        assertInvalid("{'type':'send','ref':'r1','room':'room-1','body':'hi','client_id':5}", "client_id: must be a string");
        assertInvalid("{'type':'send','ref':'r1','room':'room-1','body':'hi','attachment_url':[]}", "attachment_url: must be a string");
    }

    @Test
    void edit_and_delete_require_a_valid_message_id() {
        assertInvalid("{'type':'edit','ref':'r1','room':'room-1','body':'b'}", "message_id: required string");
        assertInvalid("{'type':'delete','ref':'r1','room':'room-1','message_id':1}", "message_id: required string");
        assertInvalid("{'type':'delete','ref':'r1','room':'room-1','message_id':''}", "message_id: message id must not be empty");
        assertInvalid("{'type':'edit','ref':'r1','room':'room-1','message_id':'m-1'}", "body: required string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",'active':'true'", ",'active':1", ",'active':null"})
    void typing_requires_a_boolean_active(String field) {
        assertInvalid("{'type':'typing','ref':'r1','room':'room-1'" + field + "}", "active: required boolean");
    }

    @Test
    void read_requires_a_non_negative_integer_seq() {
        assertInvalid("{'type':'read','ref':'r1','room':'room-1'}", "seq: required integer >= 0");
        assertInvalid("{'type':'read','ref':'r1','room':'room-1','seq':-1}", "seq: must be an integer >= 0");
        assertInvalid("{'type':'read','ref':'r1','room':'room-1','seq':2.0}", "seq: must be an integer >= 0");
        assertInvalid("{'type':'read','ref':'r1','room':'room-1','seq':'2'}", "seq: must be an integer >= 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'offline'", "'busy'", "'ONLINE'"})
    void presence_status_is_online_or_away_only(String status) {
        assertInvalid("{'type':'presence','ref':'r1','status':" + status + "}", "status: must be online or away");
    }

    @Test
    void presence_requires_a_status() {
        assertInvalid("{'type':'presence','ref':'r1'}", "status: required string");
    }
}
