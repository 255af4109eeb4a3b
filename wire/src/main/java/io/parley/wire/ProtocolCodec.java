package io.parley.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.in.ManageRooms;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.HistoryPage;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomChange;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;
import io.parley.engine.EventEncoder;
import io.parley.engine.ServerEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol v1 JSON codec, shared by the WebSocket, SSE, long-poll and REST transports so that they
 * speak exactly the same JSON without depending on each other. Events are written with Jackson's
 * streaming generator, once per event however many sessions receive it.
 *
 * <p>Thread-safe: one instance (and its one Jackson mapper) serves the whole node. Decoding never throws
 * on client input; it returns {@link Decoded.Rejected} instead.
 */
public final class ProtocolCodec implements EventEncoder {
    private final Json json;

    private ProtocolCodec(Json json) {
        this.json = json;
    }

    /** @return a codec; create one per node and share it */
    public static ProtocolCodec create() {
        return new ProtocolCodec(new Json());
    }

    /**
     * Encodes a server event: a JSON object with {@code type} first, snake_case fields, ids as strings,
     * timestamps as ISO-8601 UTC ending in {@code Z}, and {@code ref} only when the event has one.
     *
     * @param event any server event: a durable or ephemeral one, a reply
     * @return its JSON text
     */
    @Override
    public String encode(ServerEvent event) {
        Objects.requireNonNull(event, "event");
        return json.write(g -> EventJson.writeEvent(g, event));
    }

    /**
     * Decodes one command frame (a WebSocket text frame, or one command posted alone).
     *
     * @param text the frame
     * @return the command, or the {@code error} to reply with ({@code invalid}: malformed JSON, not an
     *         object, missing or ill-typed field; {@code unknown_type}); never throws
     */
    public Decoded decode(String text) {
        if (text == null) {
            return CommandJson.rejected(Optional.empty(), ErrorCode.INVALID.wireName(), "malformed JSON: empty");
        }
        try {
            return CommandJson.decode(json.read(text));
        } catch (Json.MalformedJson e) {
            return CommandJson.rejected(Optional.empty(), ErrorCode.INVALID.wireName(), e.getMessage());
        }
    }

    /**
     * Decodes the body of {@code POST /v1/commands}: one command object, or a JSON array of them.
     *
     * @param text the request body
     * @return one outcome per command, in order (empty for an empty array); a single {@code invalid}
     *         rejection when the body is malformed or neither an object nor an array; never throws
     */
    public List<Decoded> decodeCommands(String text) {
        if (text == null) {
            return List.of(decode(null));
        }
        JsonNode root;
        try {
            root = json.read(text);
        } catch (Json.MalformedJson e) {
            return List.of(CommandJson.rejected(Optional.empty(), ErrorCode.INVALID.wireName(), e.getMessage()));
        }
        if (root.isObject()) {
            return List.of(CommandJson.decode(root));
        }
        if (!root.isArray()) {
            return List.of(CommandJson.rejected(Optional.empty(), ErrorCode.INVALID.wireName(),
                    "body must be a command object or an array of command objects"));
        }
        List<Decoded> outcomes = new ArrayList<>(root.size());
        for (JsonNode command : root) {
            outcomes.add(CommandJson.decode(command));
        }
        return List.copyOf(outcomes);
    }

    /**
     * Encodes a room as {@code POST /v1/rooms} returns it.
     *
     * @param room    the room
     * @param lastSeq its latest seq
     * @return {@code {id, name, visibility, owner, created_at, last_seq}}
     */
    public String encodeRoom(Room room, long lastSeq) {
        return encodeRoom(room, lastSeq, Optional.empty());
    }

    /**
     * Encodes a room as {@code GET /v1/rooms/{room}} and {@code PUT /v1/direct/{user}} return it.
     *
     * @param room    the room
     * @param lastSeq its last seq
     * @param peer    for a direct conversation, the other person as the caller sees them
     * @return the room's fields, and {@code peer} when given
     */
    public String encodeRoom(Room room, long lastSeq, Optional<ManageRooms.Peer> peer) {
        Objects.requireNonNull(room, "room");
        return json.write(g -> RestJson.writeRoom(g, room, lastSeq, peer));
    }

    /**
     * Encodes a page of the caller's room list ({@code GET /v1/rooms}).
     *
     * @param page the rooms as the caller sees them, and where the next page starts
     * @return {@code {"rooms":[{id, name, visibility, owner, created_at, last_seq, last_event_at, read_up_to,
     *         unread}],"has_more":bool,"next":cursor}}, {@code next} only when {@code has_more}
     */
    public String encodeRooms(RoomListPage page) {
        return encodeRooms(page, Map.of());
    }

    /**
     * Encodes a page of the caller's room list, with the other person of each direct conversation.
     *
     * @param page  the rooms as the caller sees them, and where the next page starts
     * @param peers by room id, the other person of the direct conversations among them
     * @return as {@link #encodeRooms(RoomListPage)}, a direct conversation's entry with its {@code peer}
     */
    public String encodeRooms(RoomListPage page, Map<RoomId, ManageRooms.Peer> peers) {
        Objects.requireNonNull(page, "page");
        return json.write(g -> RestJson.writeRooms(g, page, peers));
    }

    /**
     * Reads the {@code cursor} parameter of {@code GET /v1/rooms}: the {@code next} of an earlier page.
     *
     * @param cursor the cursor as the client sent it
     * @return where the page starts
     * @throws ParleyException {@code invalid} when it is not a cursor this protocol issues
     */
    public RoomListQuery.Position decodeRoomCursor(String cursor) {
        return RestJson.position(cursor);
    }

    /**
     * Encodes a page of the directory of open rooms ({@code GET /v1/directory}).
     *
     * @param page the rooms and where the next page starts
     * @return {@code {"rooms":[{room fields, members}],"has_more":bool,"next":cursor}}
     */
    public String encodeDirectory(DirectoryQuery.Page page) {
        Objects.requireNonNull(page, "page");
        return json.write(g -> RestJson.writeDirectory(g, page));
    }

    /**
     * Reads the {@code cursor} parameter of {@code GET /v1/directory}.
     *
     * @param cursor the {@code next} of an earlier page
     * @return where the page starts
     * @throws ParleyException {@code invalid} when it is not a cursor this protocol issues
     */
    public DirectoryQuery.Position decodeDirectoryCursor(String cursor) {
        return RestJson.directoryPosition(cursor);
    }

    /**
     * Encodes a history page ({@code GET /v1/rooms/{room}/messages}).
     *
     * @param page the messages of one page, and whether more exist
     * @return {@code {"messages":[message objects, as in the message event],"has_more":bool}}
     */
    public String encodeHistory(HistoryPage page) {
        Objects.requireNonNull(page, "page");
        return json.write(g -> RestJson.writeHistory(g, page));
    }

    /**
     * Encodes a page of search results ({@code GET /v1/search}).
     *
     * @param page the results of one page, and where the next one starts
     * @return {@code {"results":[{"room","seq","message":{message object, as in the message event}}],
     *         "has_more":bool,"next":cursor}}, {@code next} only when {@code has_more}
     */
    public String encodeSearch(SearchPage page) {
        Objects.requireNonNull(page, "page");
        return json.write(g -> RestJson.writeSearch(g, page));
    }

    /**
     * Reads the {@code cursor} parameter of {@code GET /v1/search}: the {@code next} of an earlier page.
     *
     * @param cursor the cursor as the client sent it
     * @return where the page starts
     * @throws ParleyException {@code invalid} when it is not a cursor this protocol issues
     */
    public SearchQuery.Position decodeSearchCursor(String cursor) {
        return RestJson.searchPosition(cursor);
    }

    /**
     * Encodes a room's presence list ({@code GET /v1/rooms/{room}/presence}).
     *
     * @param members every member's presence, offline ones included
     * @return {@code {"members":[{user, status, last_seen}]}}
     */
    public String encodePresence(List<Presence> members) {
        Objects.requireNonNull(members, "members");
        return json.write(g -> RestJson.writePresence(g, members));
    }

    /**
     * Encodes a room's members and roles ({@code GET /v1/rooms/{room}/members}).
     *
     * @param members members in joining order
     * @param names   their display names, where known (the id stands in for the others)
     * @return {@code {"members":[{"user","display_name","role"}]}}
     */
    public String encodeMembers(List<Member> members, Map<UserId, String> names) {
        Objects.requireNonNull(members, "members");
        return json.write(g -> RestJson.writeMembers(g, members, names));
    }

    /**
     * Encodes the users banned from a room ({@code GET /v1/rooms/{room}/bans}).
     *
     * @param banned user ids
     * @return {@code {"banned":["…"]}}
     */
    public String encodeBanned(List<UserId> banned) {
        Objects.requireNonNull(banned, "banned");
        return json.write(g -> RestJson.writeBanned(g, banned));
    }

    /**
     * Decodes the body of {@code PUT /v1/rooms/{room}/members/{user}/role}.
     *
     * @param body the request body
     * @return admin or member
     * @throws ParleyException {@link ErrorCode#INVALID} for another body or role
     */
    public Role decodeRole(String body) {
        return decodeBody(body, RestJson::readRole);
    }

    /**
     * Decodes the body of {@code PUT /v1/rooms/{room}/owner}.
     *
     * @param body the request body
     * @return the new owner
     * @throws ParleyException {@link ErrorCode#INVALID} for another body or a bad user id
     */
    public UserId decodeOwner(String body) {
        return decodeBody(body, RestJson::readOwner);
    }

    private <T> T decodeBody(String body, Function<JsonNode, T> read) {
        if (body == null || body.isEmpty()) {
            throw ParleyException.invalid("malformed JSON: empty");
        }
        try {
            return read.apply(json.read(body));
        } catch (Json.MalformedJson e) {
            throw ParleyException.invalid(e.getMessage());
        }
    }

    /**
     * Encodes a REST error body.
     *
     * @param code    protocol error code, such as {@code not_found}
     * @param message human-readable text
     * @return {@code {"error":{"code":..,"message":..}}}
     */
    public String encodeError(String code, String message) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        return json.write(g -> RestJson.writeError(g, code, message));
    }

    /**
     * Encodes a stored message as {@code {"message":{...}}}, with the fields of a {@code message} event's.
     *
     * @param message the message as stored (a tombstone when deleted)
     * @return the JSON text
     */
    public String encodeMessage(Message message) {
        Objects.requireNonNull(message, "message");
        return json.write(g -> {
            g.writeStartObject();
            g.writeFieldName("message");
            EventJson.writeMessage(g, message);
            g.writeEndObject();
        });
    }

    /**
     * Encodes durable events as {@code {"events":[...]}}, each as {@link #encodeEvent} writes it.
     *
     * @param events the events, in order
     * @return the JSON text
     */
    public String encodeEvents(List<RoomEvent> events) {
        return json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (RoomEvent event : events) {
                EventJson.writeRoomEvent(g, event);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Encodes a durable room event on its own, for REST replies such as a membership change: the very
     * object subscribers receive ({@code encodeEvent(e)} equals {@code encode(new Durable(e))}). A REST
     * call that changed nothing has no event; it answers {@code 204} instead.
     *
     * @param event the event as stored, with its room and seq
     * @return the event object, e.g. {@code {"type":"member_joined","room":..,"seq":..,"user":..}}
     */
    public String encodeEvent(RoomEvent event) {
        Objects.requireNonNull(event, "event");
        return json.write(g -> EventJson.writeRoomEvent(g, event));
    }

    /**
     * Decodes the body of {@code POST /v1/rooms}. Checks shape only; the name's length is the use case's.
     *
     * @param body the request body
     * @return the request; {@code visibility} defaults to open, {@code members} to none
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field, when the body is not such a request
     */
    public CreateRoomRequest decodeCreateRoom(String body) {
        return decodeBody(body, RestJson::readCreateRoom);
    }

    /**
     * Decodes the body of {@code PATCH /v1/rooms/{room}}: the settings to change. Checks shape only; lengths
     * and URLs are the use case's.
     *
     * @param body the request body
     * @return the change: absent fields stay as they are, {@code null} removes a topic, a picture or a
     *         metadata key
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field, for another shape, an unknown field
     *                         or no field at all
     */
    public RoomChange decodeRoomChange(String body) {
        return decodeBody(body, RestJson::readRoomChange);
    }

    /**
     * @param body the body of {@code PUT /v1/server/rooms/{room}}
     * @return owner, name, visibility and members
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field
     */
    public ServerRequests.EnsureRoom decodeEnsureRoom(String body) {
        return decodeBody(body, RestJson::readEnsureRoom);
    }

    /**
     * @param body the body of {@code POST /v1/server/rooms/{room}/members}
     * @return the members to add and to remove
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field, or when it names nobody
     */
    public ServerRequests.MembersChange decodeMembersChange(String body) {
        return decodeBody(body, RestJson::readMembersChange);
    }

    /**
     * @param body the body of {@code POST /v1/server/rooms/{room}/messages}
     * @return the post
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field
     */
    public ServerRequests.Post decodeServerPost(String body) {
        return decodeBody(body, RestJson::readServerPost);
    }

    /**
     * @param body the body of {@code POST /v1/server/users/{user}/revoke}: empty, or {@code {"before": time}}
     * @return the time given, empty for "now"
     * @throws ParleyException {@link ErrorCode#INVALID}, naming the field
     */
    public Optional<Instant> decodeRevoke(String body) {
        return body.isBlank() ? Optional.empty() : decodeBody(body, RestJson::readRevoke);
    }

    /**
     * @param user   the revoked user
     * @param before the time before which their tokens are refused
     * @return {@code {"user":..,"revoked_before":..}}
     */
    public String encodeRevoked(UserId user, Instant before) {
        return json.write(g -> {
            g.writeStartObject();
            g.writeStringField("user", user.value());
            g.writeStringField("revoked_before", before.toString());
            g.writeEndObject();
        });
    }
}
