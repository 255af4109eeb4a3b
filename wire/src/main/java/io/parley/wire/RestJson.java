package io.parley.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.domain.HistoryPage;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.Room;
import io.parley.domain.RoomSummary;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The REST bodies of protocol v1: rooms, room lists, history pages, presence lists, errors, and the
 * create-room request.
 */
final class RestJson {
    private RestJson() {
    }

    static void writeRoom(JsonGenerator g, Room room, long lastSeq) throws IOException {
        g.writeStartObject();
        writeRoomFields(g, room, lastSeq);
        g.writeEndObject();
    }

    static void writeRooms(JsonGenerator g, List<RoomSummary> rooms) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("rooms");
        for (RoomSummary summary : rooms) {
            g.writeStartObject();
            writeRoomFields(g, summary.room(), summary.lastSeq());
            g.writeNumberField("read_up_to", summary.readUpTo());
            g.writeNumberField("unread", summary.unread());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRoomFields(JsonGenerator g, Room room, long lastSeq) throws IOException {
        g.writeStringField("id", room.id().value());
        g.writeStringField("name", room.name());
        g.writeStringField("visibility", room.visibility().wireName());
        g.writeStringField("owner", room.owner().value());
        g.writeStringField("created_at", Json.timestamp(room.createdAt()));
        g.writeNumberField("last_seq", lastSeq);
    }

    static void writeHistory(JsonGenerator g, HistoryPage page) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("messages");
        for (Message message : page.messages()) {
            EventJson.writeMessage(g, message);
        }
        g.writeEndArray();
        g.writeBooleanField("has_more", page.hasMore());
        g.writeEndObject();
    }

    static void writePresence(JsonGenerator g, List<Presence> members) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("members");
        for (Presence presence : members) {
            g.writeStartObject();
            g.writeStringField("user", presence.user().value());
            g.writeStringField("status", presence.status().wireName());
            g.writeStringField("last_seen", Json.timestamp(presence.lastSeen()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void writeError(JsonGenerator g, String code, String message) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("error");
        g.writeStringField("code", code);
        g.writeStringField("message", message);
        g.writeEndObject();
        g.writeEndObject();
    }

    static CreateRoomRequest readCreateRoom(JsonNode node) {
        if (!(node instanceof ObjectNode body)) {
            throw ParleyException.invalid("request body must be a JSON object");
        }
        String name = CommandJson.requiredString(body, "name");
        Visibility visibility = CommandJson.optionalString(body, "visibility")
                .map(RestJson::visibility)
                .orElse(Visibility.OPEN);
        JsonNode membersNode = body.get("members");
        List<UserId> members = new ArrayList<>();
        if (!CommandJson.absent(membersNode)) {
            if (!membersNode.isArray()) {
                throw ParleyException.invalid("members: must be an array of user ids");
            }
            for (int i = 0; i < membersNode.size(); i++) {
                JsonNode member = membersNode.get(i);
                String field = "members[" + i + "]";
                if (!member.isTextual()) {
                    throw ParleyException.invalid(field + ": must be a string");
                }
                members.add(CommandJson.id(field, () -> UserId.of(member.textValue())));
            }
        }
        return new CreateRoomRequest(name, visibility, members);
    }

    private static Visibility visibility(String value) {
        return switch (value) {
            case "open" -> Visibility.OPEN;
            case "private" -> Visibility.PRIVATE;
            default -> throw ParleyException.invalid("visibility: must be open or private");
        };
    }
}
