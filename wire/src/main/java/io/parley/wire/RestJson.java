package io.parley.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.application.port.in.ManageRooms;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.HistoryPage;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomChange;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST bodies of protocol v1: rooms, room lists, history pages, presence lists, errors, and the
 * create-room request.
 */
final class RestJson {
    /** Longer than any cursor issued: an ISO instant, a space and a room id of at most 128 characters (512 bytes). */
    private static final int MAX_CURSOR = 1024;

    private RestJson() {
    }

    static void writeRoom(JsonGenerator g, Room room, long lastSeq, Optional<ManageRooms.Peer> peer)
            throws IOException {
        g.writeStartObject();
        writeRoomFields(g, room, lastSeq, peer);
        g.writeEndObject();
    }

    static void writeRooms(JsonGenerator g, RoomListPage page, Map<RoomId, ManageRooms.Peer> peers)
            throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("rooms");
        for (RoomSummary summary : page.rooms()) {
            g.writeStartObject();
            writeRoomFields(g, summary.room(), summary.lastSeq(), Optional.ofNullable(peers.get(summary.room().id())));
            g.writeStringField("last_event_at", Json.timestamp(summary.lastEventAt()));
            g.writeNumberField("read_up_to", summary.readUpTo());
            g.writeNumberField("unread", summary.unread());
            g.writeNumberField("mentions", summary.mentions());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("has_more", page.next().isPresent());
        if (page.next().isPresent()) {
            g.writeStringField("next", cursor(page.next().get()));
        }
        g.writeEndObject();
    }

    /**
     * A room-list cursor: base64url of the position's instant (ISO-8601, to the nanosecond), a space and the
     * room id. Opaque to clients; only this class reads it.
     */
    static String cursor(RoomListQuery.Position position) {
        return encoded(position.lastEventAt() + " " + position.room().value());
    }

    static RoomListQuery.Position position(String cursor) {
        try {
            String plain = decoded(cursor);
            int space = plain.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("no space");
            }
            return new RoomListQuery.Position(Instant.parse(plain.substring(0, space)),
                    RoomId.of(plain.substring(space + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ParleyException.invalid("cursor is not one this server issued");
        }
    }

    private static void writeRoomFields(JsonGenerator g, Room room, long lastSeq, Optional<ManageRooms.Peer> peer)
            throws IOException {
        g.writeStringField("id", room.id().value());
        g.writeStringField("kind", room.isDirect() ? "direct" : "group");
        if (peer.isPresent()) {
            Presence presence = peer.get().presence();
            g.writeObjectFieldStart("peer");
            g.writeStringField("user", presence.user().value());
            g.writeStringField("display_name", peer.get().displayName());
            g.writeStringField("status", presence.status().wireName());
            g.writeStringField("last_seen", Json.timestamp(presence.lastSeen()));
            g.writeEndObject();
        }
        EventJson.writeSettings(g, room.settings());
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

    static void writeSearch(JsonGenerator g, SearchPage page) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("results");
        for (Message message : page.messages()) {
            g.writeStartObject();
            g.writeStringField("room", message.room().value());
            g.writeNumberField("seq", message.seq());
            g.writeFieldName("message");
            EventJson.writeMessage(g, message);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("has_more", page.next().isPresent());
        if (page.next().isPresent()) {
            SearchQuery.Position next = page.next().get();
            g.writeStringField("next", encoded(next.sentAt() + " " + next.seq() + " " + next.room().value()));
        }
        g.writeEndObject();
    }

    /** A search cursor: base64url of the last result's time, a space, its seq, a space and its room id. */
    static SearchQuery.Position searchPosition(String cursor) {
        try {
            String plain = decoded(cursor);
            String[] parts = plain.split(" ", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("three parts");
            }
            return new SearchQuery.Position(Instant.parse(parts[0]), RoomId.of(parts[2]), Long.parseLong(parts[1]));
        } catch (IllegalArgumentException | DateTimeParseException | ParleyException e) {
            throw ParleyException.invalid("cursor is not one this server issued");
        }
    }

    static void writeDirectory(JsonGenerator g, DirectoryQuery.Page page) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("rooms");
        for (DirectoryQuery.Entry entry : page.rooms()) {
            g.writeStartObject();
            writeRoomFields(g, entry.room(), entry.lastSeq(), Optional.empty());
            g.writeNumberField("members", entry.members());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("has_more", page.next().isPresent());
        if (page.next().isPresent()) {
            DirectoryQuery.Position next = page.next().get();
            // names are single-line text: a line feed cannot be part of one
            g.writeStringField("next", encoded(next.sortName() + "\n" + next.room().value()));
        }
        g.writeEndObject();
    }

    static DirectoryQuery.Position directoryPosition(String cursor) {
        try {
            String plain = decoded(cursor);
            int split = plain.lastIndexOf('\n');
            if (split < 0) {
                throw new IllegalArgumentException("no line feed");
            }
            return new DirectoryQuery.Position(plain.substring(0, split), RoomId.of(plain.substring(split + 1)));
        } catch (IllegalArgumentException e) {
            throw ParleyException.invalid("cursor is not one this server issued");
        }
    }

    private static String encoded(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(String cursor) {
        if (cursor.length() > MAX_CURSOR) {
            throw new IllegalArgumentException("too long");
        }
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
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

    static void writeMembers(JsonGenerator g, List<Member> members, Map<UserId, String> names) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("members");
        for (Member member : members) {
            g.writeStartObject();
            g.writeStringField("user", member.user().value());
            g.writeStringField("display_name", names.getOrDefault(member.user(), member.user().value()));
            g.writeStringField("role", member.role().wireName());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void writeBanned(JsonGenerator g, List<UserId> banned) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("banned");
        for (UserId user : banned) {
            g.writeString(user.value());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The body of {@code PUT …/members/{user}/role}: {@code {"role":"admin"|"member"}}. */
    static Role readRole(JsonNode node) {
        ObjectNode body = object(node);
        String role = CommandJson.requiredString(body, "role");
        return switch (role) {
            case "admin" -> Role.ADMIN;
            case "member" -> Role.MEMBER;
            default -> throw ParleyException.invalid("role: must be admin or member (a room is handed over with "
                    + "PUT /v1/rooms/{room}/owner)");
        };
    }

    /** The body of {@code PUT /v1/rooms/{room}/owner}: {@code {"user":"…"}}. */
    static UserId readOwner(JsonNode node) {
        ObjectNode body = object(node);
        String user = CommandJson.requiredString(body, "user");
        return CommandJson.id("user", () -> UserId.of(user));
    }

    private static ObjectNode object(JsonNode node) {
        if (!(node instanceof ObjectNode body)) {
            throw ParleyException.invalid("request body must be a JSON object");
        }
        return body;
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
        ObjectNode body = object(node);
        String name = CommandJson.requiredString(body, "name");
        Visibility visibility = CommandJson.optionalString(body, "visibility")
                .map(RestJson::visibility)
                .orElse(Visibility.OPEN);
        return new CreateRoomRequest(name, visibility, userIds(body, "members"));
    }

    /** An optional array of user ids; absent is none. */
    private static List<UserId> userIds(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        List<UserId> users = new ArrayList<>();
        if (!CommandJson.absent(node)) {
            if (!node.isArray()) {
                throw ParleyException.invalid(name + ": must be an array of user ids");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode user = node.get(i);
                String field = name + "[" + i + "]";
                if (!user.isTextual()) {
                    throw ParleyException.invalid(field + ": must be a string");
                }
                users.add(CommandJson.id(field, () -> UserId.of(user.textValue())));
            }
        }
        return users;
    }

    static ServerRequests.EnsureRoom readEnsureRoom(JsonNode node) {
        ObjectNode body = object(node);
        UserId owner = CommandJson.id("owner", () -> UserId.of(CommandJson.requiredString(body, "owner")));
        return new ServerRequests.EnsureRoom(owner, readCreateRoom(body));
    }

    static ServerRequests.MembersChange readMembersChange(JsonNode node) {
        ObjectNode body = object(node);
        ServerRequests.MembersChange change = new ServerRequests.MembersChange(userIds(body, "add"),
                userIds(body, "remove"));
        if (change.add().isEmpty() && change.remove().isEmpty()) {
            throw ParleyException.invalid("name the members to add or remove (add, remove)");
        }
        return change;
    }

    static ServerRequests.Post readServerPost(JsonNode node) {
        ObjectNode body = object(node);
        UserId as = CommandJson.id("as", () -> UserId.of(CommandJson.requiredString(body, "as")));
        return new ServerRequests.Post(as, CommandJson.optionalString(body, "name"),
                CommandJson.requiredString(body, "body"), CommandJson.optionalString(body, "client_id"),
                userIds(body, "mentions"));
    }

    static Optional<Instant> readRevoke(JsonNode node) {
        ObjectNode body = object(node);
        Optional<String> before = CommandJson.optionalString(body, "before");
        try {
            return before.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ParleyException.invalid("before: must be a time such as 2026-12-06T10:15:30Z");
        }
    }

    /** The settings {@code PATCH /v1/rooms/{room}} may name. */
    private static final Set<String> SETTINGS = Set.of("name", "visibility", "topic", "avatar_url", "metadata",
            "archived");

    static RoomChange readRoomChange(JsonNode node) {
        ObjectNode body = object(node);
        body.fieldNames().forEachRemaining(field -> {
            if (!SETTINGS.contains(field)) {
                throw ParleyException.invalid(field + ": not a room setting (" + String.join(", ",
                        new TreeSet<>(SETTINGS)) + ")");
            }
        });
        if (body.isEmpty()) {
            throw ParleyException.invalid("name at least one setting to change");
        }
        if (body.has("name") && body.get("name").isNull()) {
            throw ParleyException.invalid("name: a room always has a name");
        }
        Map<String, String> metadata = new HashMap<>();
        JsonNode metadataNode = body.get("metadata");
        if (metadataNode != null) {
            if (!metadataNode.isObject()) {
                throw ParleyException.invalid("metadata: must be an object of strings");
            }
            metadataNode.properties().forEach(e -> {
                JsonNode value = e.getValue();
                if (!value.isNull() && !value.isTextual()) {
                    throw ParleyException.invalid("metadata." + e.getKey() + ": must be a string, or null to remove it");
                }
                metadata.put(e.getKey(), value.isNull() ? "" : value.textValue());
            });
        }
        JsonNode archived = body.get("archived");
        if (archived != null && !archived.isBoolean()) {
            throw ParleyException.invalid("archived: must be true or false");
        }
        return new RoomChange(CommandJson.optionalString(body, "name"),
                CommandJson.optionalString(body, "visibility").map(RestJson::visibility),
                clearable(body, "topic"), clearable(body, "avatar_url"), metadata,
                Optional.ofNullable(archived).map(JsonNode::booleanValue));
    }

    /** A setting that {@code null} (or an empty string) removes: absent stays, null becomes empty. */
    private static Optional<String> clearable(ObjectNode body, String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        return body.get(field).isNull() ? Optional.of("") : CommandJson.optionalString(body, field);
    }

    private static Visibility visibility(String value) {
        return switch (value) {
            case "open" -> Visibility.OPEN;
            case "private" -> Visibility.PRIVATE;
            default -> throw ParleyException.invalid("visibility: must be open or private");
        };
    }
}
