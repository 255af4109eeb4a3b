package io.parley.adapters.persistence.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbRow;
import io.parley.domain.DirectPair;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ReplyPreview;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Maps rows to domain values and back; the only place that knows column names and kind spellings. */
final class Rows {
    /**
     * Where {@link #message} reads from: {@code messages m}, each with the message it replies to as {@code p}
     * (its current row: the preview follows edits and deletion). Conditions name {@code m.}'s columns.
     */
    static final String MESSAGES =
            "messages m LEFT JOIN messages p ON p.room_id = m.room_id AND p.message_id = m.reply_to";
    /** The columns {@link #message} reads from {@link #MESSAGES}, in a form that fits a {@code SELECT} list. */
    static final String MESSAGE_COLUMNS = "m.room_id, m.seq, m.message_id, m.author_id, m.author_name, m.body, "
            + "m.attachment_url, m.sent_at, m.edited_at, m.deleted, m.reply_to, "
            + "array_to_string(m.mentions, E'\\n') AS mentions, " + parentColumns();
    /** The columns {@link #room} reads. */
    static final String ROOM_COLUMNS =
            "room_id, name, visibility, owner_id, created_at, topic, avatar_url, metadata::text AS metadata, archived, "
                    + "direct_first, direct_second";
    /** The columns {@link #event} reads, from {@code events e} joined as {@link #MESSAGES} joins the parent. */
    static final String EVENT_COLUMNS = "e.room_id, e.seq, e.kind, e.at, e.user_id, e.message_id, e.author_name, "
            + "e.body, e.attachment_url, e.up_to, e.data::text AS data, e.reply_to, "
            + "array_to_string(e.mentions, E'\\n') AS mentions, " + parentColumns();
    /** Mentions travel to and from the database as one text of ids and line feeds (ids hold none). */
    static final String MENTIONS_SEPARATOR = "\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {
    }

    /**
     * PostgreSQL keeps microseconds; every instant is cut to them before it is stored or returned, so what
     * an append returns equals what a later read finds.
     *
     * @param at an instant
     * @return the same instant without its nanoseconds below the microsecond
     */
    static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static Room room(DbRow row) {
        RoomSettings settings = new RoomSettings(string(row, "name"), Visibility.fromWire(string(row, "visibility")),
                optionalString(row, "topic"), optionalString(row, "avatar_url"), metadata(string(row, "metadata")),
                row.column("archived").get(Boolean.class));
        Optional<DirectPair> direct = optionalString(row, "direct_first")
                .map(first -> new DirectPair(UserId.of(first), UserId.of(string(row, "direct_second"))));
        return new Room(RoomId.of(string(row, "room_id")), UserId.of(string(row, "owner_id")),
                instant(row, "created_at"), settings, direct);
    }

    /**
     * @param json a {@code metadata} column's text
     * @return its keys and values
     */
    static SortedMap<String, String> metadata(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not an object of strings", e);
        }
    }

    /**
     * @param metadata keys and values
     * @return their JSON object, for a {@code jsonb} parameter
     */
    static String metadataJson(Map<String, String> metadata) {
        return write(metadata);
    }

    /**
     * @param event a room_updated event
     * @return the {@code data} of its row: its settings, and the names of those it changed
     */
    static String updateData(RoomEvent.RoomUpdated event) {
        RoomSettings s = event.settings();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", s.name());
        data.put("visibility", s.visibility().wireName());
        data.put("topic", s.topic().orElse(null));
        data.put("avatar_url", s.avatarUrl().orElse(null));
        data.put("metadata", s.metadata());
        data.put("archived", s.archived());
        data.put("changed", event.changed().stream().map(RoomSettings.Field::wireName).toList());
        return write(data);
    }

    /**
     * @param by   who moderated
     * @param role the role given, for a role change
     * @return the {@code data} of a role change's, ban's or unban's row
     */
    static String moderationData(UserId by, Optional<Role> role) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("by", by.value());
        role.ifPresent(r -> data.put("role", r.wireName()));
        return write(data);
    }

    /**
     * @param emoji a reaction
     * @return the {@code data} of a reaction event's row
     */
    static String reactionData(String emoji) {
        return write(Map.of("emoji", emoji));
    }

    private static RoomEvent reaction(String kind, RoomId room, long seq, DbRow row, Instant at) {
        try {
            String emoji = JSON.readTree(string(row, "data")).path("emoji").asText();
            MessageId message = MessageId.of(string(row, "message_id"));
            UserId user = UserId.of(string(row, "user_id"));
            return kind.equals("react") ? new RoomEvent.ReactionAdded(room, seq, message, emoji, user, at)
                    : new RoomEvent.ReactionRemoved(room, seq, message, emoji, user, at);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + kind + " data is not JSON", e);
        }
    }

    private static RoomEvent moderation(String kind, RoomId room, long seq, UserId user, String data, Instant at) {
        try {
            JsonNode n = JSON.readTree(data);
            UserId by = UserId.of(n.path("by").asText());
            return switch (kind) {
                case "role" -> new RoomEvent.RoleChanged(room, seq, user, Role.fromWire(n.path("role").asText()), by, at);
                case "ban" -> new RoomEvent.MemberBanned(room, seq, user, by, at);
                default -> new RoomEvent.MemberUnbanned(room, seq, user, by, at);
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + kind + " data is not JSON", e);
        }
    }

    private static RoomEvent.RoomUpdated roomUpdated(RoomId room, long seq, UserId by, String data, Instant at) {
        try {
            JsonNode n = JSON.readTree(data);
            RoomSettings settings = new RoomSettings(n.path("name").asText(),
                    Visibility.fromWire(n.path("visibility").asText()), text(n, "topic"), text(n, "avatar_url"),
                    JSON.convertValue(n.path("metadata"), new TypeReference<TreeMap<String, String>>() { }),
                    n.path("archived").asBoolean());
            List<RoomSettings.Field> changed = new ArrayList<>();
            n.path("changed").forEach(f -> changed.add(RoomSettings.Field.fromWire(f.asText())));
            return new RoomEvent.RoomUpdated(room, seq, by, settings, changed, at);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored room_updated data is not JSON", e);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String parentColumns() {
        return "p.author_id AS parent_author, p.author_name AS parent_name, left(p.body, "
                + ReplyPreview.EXCERPT_LENGTH + ") AS parent_excerpt, p.deleted AS parent_deleted";
    }

    static Message message(DbRow row) {
        return new Message(MessageId.of(string(row, "message_id")), RoomId.of(string(row, "room_id")),
                number(row, "seq"), UserId.of(string(row, "author_id")), string(row, "author_name"),
                string(row, "body"), optionalString(row, "attachment_url"), instant(row, "sent_at"),
                optionalInstant(row, "edited_at"), row.column("deleted").get(Boolean.class), replyTo(row),
                mentions(row));
    }

    /** The preview of the parent the row's message replies to, from the parent's columns. */
    private static Optional<ReplyPreview> replyTo(DbRow row) {
        Optional<String> parent = optionalString(row, "reply_to");
        Optional<String> author = optionalString(row, "parent_author");
        if (parent.isEmpty() || author.isEmpty()) {
            return Optional.empty();
        }
        boolean deleted = row.column("parent_deleted").get(Boolean.class);
        return Optional.of(new ReplyPreview(MessageId.of(parent.get()), UserId.of(author.get()),
                string(row, "parent_name"), deleted ? "" : string(row, "parent_excerpt"), deleted));
    }

    private static List<UserId> mentions(DbRow row) {
        return optionalString(row, "mentions").filter(text -> !text.isEmpty())
                .map(text -> java.util.Arrays.stream(text.split(MENTIONS_SEPARATOR)).map(UserId::of).toList())
                .orElse(List.of());
    }

    /**
     * @param mentions users a message mentions
     * @return them as one parameter, or null for none
     */
    static String mentionsText(List<UserId> mentions) {
        return mentions.isEmpty() ? null
                : String.join(MENTIONS_SEPARATOR, mentions.stream().map(UserId::value).toList());
    }

    static RoomEvent event(DbRow row) {
        RoomId room = RoomId.of(string(row, "room_id"));
        long seq = number(row, "seq");
        Instant at = instant(row, "at");
        String kind = string(row, "kind");
        // A NULL body in a message or edit event: the message was deleted since, and its content with it.
        Optional<String> body = optionalString(row, "body");
        return switch (kind) {
            case "message" -> {
                Message posted = new Message(MessageId.of(string(row, "message_id")), room, seq,
                        UserId.of(string(row, "user_id")), string(row, "author_name"), body.orElse(""),
                        optionalString(row, "attachment_url"), at, Optional.empty(), false, replyTo(row),
                        mentions(row));
                yield new RoomEvent.MessagePosted(body.isPresent() ? posted : posted.tombstone());
            }
            case "edit" -> new RoomEvent.MessageEdited(room, seq, MessageId.of(string(row, "message_id")),
                    body.orElse(""), at);
            case "delete" -> new RoomEvent.MessageDeleted(room, seq, MessageId.of(string(row, "message_id")), at);
            case "join" -> new RoomEvent.MemberJoined(room, seq, UserId.of(string(row, "user_id")), at);
            case "leave" -> new RoomEvent.MemberLeft(room, seq, UserId.of(string(row, "user_id")), at);
            case "read" -> new RoomEvent.ReadUpTo(room, seq, UserId.of(string(row, "user_id")),
                    number(row, "up_to"), at);
            case "room" -> roomUpdated(room, seq, UserId.of(string(row, "user_id")), string(row, "data"), at);
            case "role", "ban", "unban" -> moderation(kind, room, seq, UserId.of(string(row, "user_id")),
                    string(row, "data"), at);
            case "react", "unreact" -> reaction(kind, room, seq, row, at);
            case "gone" -> new RoomEvent.RoomDeleted(room, seq, UserId.of(string(row, "user_id")), at);
            default -> throw new IllegalStateException("unknown event kind " + kind);
        };
    }

    /**
     * @param event any stored event
     * @return its spelling in the {@code kind} column
     */
    static String kind(RoomEvent event) {
        return switch (event) {
            case RoomEvent.MessagePosted ignored -> "message";
            case RoomEvent.MessageEdited ignored -> "edit";
            case RoomEvent.MessageDeleted ignored -> "delete";
            case RoomEvent.MemberJoined ignored -> "join";
            case RoomEvent.MemberLeft ignored -> "leave";
            case RoomEvent.ReadUpTo ignored -> "read";
            case RoomEvent.RoomUpdated ignored -> "room";
            case RoomEvent.RoleChanged ignored -> "role";
            case RoomEvent.MemberBanned ignored -> "ban";
            case RoomEvent.MemberUnbanned ignored -> "unban";
            case RoomEvent.ReactionAdded ignored -> "react";
            case RoomEvent.ReactionRemoved ignored -> "unreact";
            case RoomEvent.RoomDeleted ignored -> "gone";
        };
    }

    static String string(DbRow row, String column) {
        return row.column(column).get(String.class);
    }

    static Optional<String> optionalString(DbRow row, String column) {
        return Optional.ofNullable(row.column(column).get(String.class));
    }

    static long number(DbRow row, String column) {
        return ((Number) row.column(column).get(Object.class)).longValue();
    }

    static Instant instant(DbRow row, String column) {
        return optionalInstant(row, column).orElseThrow(() -> new IllegalStateException(column + " is null"));
    }

    static Optional<Instant> optionalInstant(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        return switch (value) {
            case null -> Optional.empty();
            case Timestamp ts -> Optional.of(ts.toInstant());
            case OffsetDateTime odt -> Optional.of(odt.toInstant());
            case Instant instant -> Optional.of(instant);
            default -> throw new IllegalStateException(column + " is a " + value.getClass().getName());
        };
    }

    /**
     * @param at an instant, or none
     * @return its text form for a {@code timestamptz[]} parameter (PostgreSQL reads ISO-8601)
     */
    static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
