package io.parley.wire;

import io.parley.domain.RoomId;
import io.parley.engine.ClientCommand;
import io.parley.engine.ServerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static io.parley.wire.Samples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CommandBatchDecodingTest {
    private final ProtocolCodec codec = ProtocolCodec.create();

    @Test
    void a_single_object_is_a_batch_of_one() {
        assertEquals(List.of(new Decoded.Command(new ClientCommand.Ping(Optional.of("a")))),
                codec.decodeCommands(json("{'type':'ping','ref':'a'}")));
    }

    @Test
    void an_array_decodes_each_command_in_order_rejecting_only_the_bad_ones() {
        List<Decoded> outcomes = codec.decodeCommands(json(
                "[{'type':'join','ref':'a','room':'r'},{'type':'nope','ref':'b'},7,{'type':'read','ref':'c','room':'r'},"
                        + "{'type':'ping','ref':'d'}]"));
        assertEquals(List.of(
                new Decoded.Command(new ClientCommand.Join(Optional.of("a"), RoomId.of("r"))),
                new Decoded.Rejected(new ServerEvent.Error(Optional.of("b"), "unknown_type", "unknown type: nope")),
                new Decoded.Rejected(new ServerEvent.Error(Optional.empty(), "invalid", "command must be a JSON object")),
                new Decoded.Rejected(new ServerEvent.Error(Optional.of("c"), "invalid", "seq: required integer >= 0")),
                new Decoded.Command(new ClientCommand.Ping(Optional.of("d")))), outcomes);
    }

    @Test
    void an_empty_array_is_no_commands() {
        assertEquals(List.of(), codec.decodeCommands("[]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[", "[{'type':'ping'}", "42", "'ping'", "null", "[] []"})
    void a_body_that_is_neither_an_object_nor_an_array_is_one_invalid_rejection(String body) {
        List<Decoded> outcomes = codec.decodeCommands(json(body));
        assertEquals(1, outcomes.size());
        ServerEvent.Error error = assertInstanceOf(Decoded.Rejected.class, outcomes.get(0)).error();
        assertEquals("invalid", error.code());
        assertEquals(Optional.empty(), error.ref());
    }
}
