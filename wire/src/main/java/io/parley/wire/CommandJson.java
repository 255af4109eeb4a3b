package io.parley.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.domain.ChatLimits;
import io.parley.domain.ErrorCode;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import io.parley.engine.ClientCommand;
import io.parley.engine.ServerEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one parsed JSON value into a {@link ClientCommand}, or into the {@code error} to send back.
 * Shape only: sizes and permissions are the use cases' to check. Optional fields may be absent or
 * {@code null}; required ones must be present with the right JSON type.
 */
final class CommandJson {
    /** The room value that means "every room I am a member of". */
    static final String INBOX = "*";
    /** Longest piece of a client's {@code type} echoed back in {@code unknown_type}. */
    private static final int MAX_ECHOED_TYPE = 64;

    private CommandJson() {
    }

    static Decoded decode(JsonNode node) {
        if (!(node instanceof ObjectNode command)) {
            return rejected(Optional.empty(), ErrorCode.INVALID.wireName(), "command must be a JSON object");
        }
        JsonNode refNode = command.get("ref");
        Optional<String> ref;
        if (absent(refNode)) {
            ref = Optional.empty();
        } else if (refNode.isTextual()) {
            ref = Optional.of(refNode.textValue());
        } else {
            return rejected(Optional.empty(), ErrorCode.INVALID.wireName(), "ref: must be a string");
        }
        JsonNode typeNode = command.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return rejected(ref, ErrorCode.INVALID.wireName(), "type: required string");
        }
        try {
            return switch (typeNode.textValue()) {
                case "subscribe" -> accepted(subscribe(ref, command));
                case "unsubscribe" -> accepted(INBOX.equals(requiredString(command, "room"))
                        ? new ClientCommand.UnsubscribeInbox(ref)
                        : new ClientCommand.Unsubscribe(ref, room(command)));
                case "join" -> accepted(new ClientCommand.Join(ref, room(command)));
                case "leave" -> accepted(new ClientCommand.Leave(ref, room(command)));
                case "send" -> accepted(new ClientCommand.Send(ref, room(command), requiredString(command, "body"),
                        optionalString(command, "client_id"), optionalString(command, "attachment_url"),
                        optionalString(command, "reply_to").map(id -> id("reply_to", () -> MessageId.of(id))),
                        userIds(command, "mentions")));
                case "edit" -> accepted(new ClientCommand.Edit(ref, room(command), messageId(command),
                        requiredString(command, "body")));
                case "delete" -> accepted(new ClientCommand.Delete(ref, room(command), messageId(command)));
                case "react" -> accepted(new ClientCommand.React(ref, room(command), messageId(command),
                        requiredString(command, "emoji")));
                case "unreact" -> accepted(new ClientCommand.Unreact(ref, room(command), messageId(command),
                        requiredString(command, "emoji")));
                case "typing" -> accepted(new ClientCommand.Typing(ref, room(command),
                        requiredBoolean(command, "active")));
                case "read" -> accepted(new ClientCommand.Read(ref, room(command), requiredSeq(command, "seq")));
                case "presence" -> accepted(new ClientCommand.SetPresence(ref, status(command)));
                case "ping" -> accepted(new ClientCommand.Ping(ref));
                default -> rejected(ref, "unknown_type", "unknown type: " + abbreviate(typeNode.textValue()));
            };
        } catch (ParleyException e) {
            return rejected(ref, e.code().wireName(), e.getMessage());
        }
    }

    private static ClientCommand subscribe(Optional<String> ref, ObjectNode command) {
        if (!INBOX.equals(requiredString(command, "room"))) {
            return new ClientCommand.Subscribe(ref, room(command), optionalSeq(command, "after"));
        }
        JsonNode after = command.get("after");
        if (absent(after)) {
            return new ClientCommand.SubscribeInbox(ref, Map.of());
        }
        if (!after.isObject()) {
            throw ParleyException.invalid("after: must be an object of room id to seq when room is \"*\"");
        }
        Map<RoomId, Long> seqs = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = after.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            RoomId room = id("after", () -> RoomId.of(field.getKey()));
            seqs.put(room, seq(field.getValue(), "after." + room.value()));
        }
        return new ClientCommand.SubscribeInbox(ref, seqs);
    }

    private static RoomId room(ObjectNode command) {
        String value = requiredString(command, "room");
        return id("room", () -> RoomId.of(value));
    }

    private static MessageId messageId(ObjectNode command) {
        String value = requiredString(command, "message_id");
        return id("message_id", () -> MessageId.of(value));
    }

    private static PresenceStatus status(ObjectNode command) {
        return switch (requiredString(command, "status")) {
            case "online" -> PresenceStatus.ONLINE;
            case "away" -> PresenceStatus.AWAY;
            default -> throw ParleyException.invalid("status: must be online or away");
        };
    }

    /** Runs a domain id constructor, naming the field in its refusal. */
    static <T> T id(String field, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ParleyException e) {
            throw ParleyException.invalid(field + ": " + e.getMessage());
        }
    }

    /** An optional array of user ids: at most {@link ChatLimits#MAX_MENTIONS}, each a string id. */
    private static List<UserId> userIds(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (absent(value)) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ParleyException.invalid(field + ": must be an array of user ids");
        }
        if (value.size() > ChatLimits.MAX_MENTIONS) {
            throw ParleyException.tooLarge(field + ": at most " + ChatLimits.MAX_MENTIONS + " users");
        }
        List<UserId> ids = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode id = value.get(i);
            String name = field + "[" + i + "]";
            if (!id.isTextual()) {
                throw ParleyException.invalid(name + ": must be a string");
            }
            ids.add(id(name, () -> UserId.of(id.textValue())));
        }
        return ids;
    }

    static String requiredString(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ParleyException.invalid(field + ": required string");
        }
        return value.textValue();
    }

    static Optional<String> optionalString(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (absent(value)) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ParleyException.invalid(field + ": must be a string");
        }
        return Optional.of(value.textValue());
    }

    private static boolean requiredBoolean(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw ParleyException.invalid(field + ": required boolean");
        }
        return value.booleanValue();
    }

    private static long requiredSeq(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw ParleyException.invalid(field + ": required integer >= 0");
        }
        return seq(value, field);
    }

    private static OptionalLong optionalSeq(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return absent(value) ? OptionalLong.empty() : OptionalLong.of(seq(value, field));
    }

    private static long seq(JsonNode value, String field) {
        // 5.0 or "5" are not seqs: a client sending them has a bug worth hearing about
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw ParleyException.invalid(field + ": must be an integer >= 0");
        }
        if (value.longValue() > ChatLimits.MAX_SEQ) {
            throw ParleyException.invalid(field + ": must be at most " + ChatLimits.MAX_SEQ);
        }
        return value.longValue();
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull();
    }

    private static Decoded accepted(ClientCommand command) {
        return new Decoded.Command(command);
    }

    static Decoded rejected(Optional<String> ref, String code, String message) {
        return new Decoded.Rejected(new ServerEvent.Error(ref, code, message));
    }

    private static String abbreviate(String text) {
        if (text.length() <= MAX_ECHOED_TYPE) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ECHOED_TYPE - 1)) ? MAX_ECHOED_TYPE - 1 : MAX_ECHOED_TYPE;
        return text.substring(0, end) + "…";
    }
}
