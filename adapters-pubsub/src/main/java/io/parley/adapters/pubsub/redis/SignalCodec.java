package io.parley.adapters.pubsub.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.application.port.out.Signal;
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

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Signals as compact JSON for the broker, wrapped in an {@link Envelope} that names the publishing node (so a
 * node ignores its own echo) and marks typing renewals. One letter per field; instants as ISO-8601 strings so
 * that they round-trip exactly.
 */
final class SignalCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /**
     * What travels on a channel.
     *
     * @param origin  the publishing node
     * @param signal  the signal
     * @param renewal whether this is a typing renewal (an internal keep-alive, not a change to deliver)
     */
    record Envelope(String origin, Signal signal, boolean renewal) {
    }

    private SignalCodec() {
    }

    static String encode(String origin, Signal signal) {
        return encode(new Envelope(origin, signal, false));
    }

    static String encode(Envelope envelope) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("o", envelope.origin());
            switch (envelope.signal()) {
                case Signal.Durable durable -> {
                    g.writeStringField("k", "e");
                    writeEvent(g, durable.event());
                }
                case Signal.TypingChanged typing -> {
                    g.writeStringField("k", envelope.renewal() ? "tr" : "t");
                    g.writeStringField("r", typing.typing().room().value());
                    g.writeStringField("u", typing.typing().user().value());
                    g.writeBooleanField("a", typing.typing().active());
                }
                case Signal.PresenceChanged presence -> {
                    g.writeStringField("k", "p");
                    g.writeStringField("r", presence.room().value());
                    g.writeStringField("u", presence.presence().user().value());
                    g.writeStringField("s", presence.presence().status().wireName());
                    g.writeStringField("l", presence.presence().lastSeen().toString());
                }
                case Signal.SessionUpdated updated -> {
                    g.writeStringField("k", "s");
                    g.writeStringField("s", updated.session());
                }
                case Signal.Resync ignored -> g.writeStringField("k", "x");
                case Signal.SessionsEnded ended -> {
                    g.writeStringField("k", "end");
                    g.writeStringField("u", ended.user().value());
                    if (ended.revokedBefore().isPresent()) {
                        g.writeStringField("b", ended.revokedBefore().get().toString());
                    }
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Envelope decode(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a signal: " + e.getMessage(), e);
        }
        String origin = text(n, "o");
        String kind = text(n, "k");
        return switch (kind) {
            case "e" -> new Envelope(origin, new Signal.Durable(readEvent(n)), false);
            case "t", "tr" -> new Envelope(origin, new Signal.TypingChanged(new Typing(RoomId.of(text(n, "r")),
                    UserId.of(text(n, "u")), n.path("a").asBoolean())), kind.equals("tr"));
            case "p" -> new Envelope(origin, new Signal.PresenceChanged(RoomId.of(text(n, "r")),
                    new Presence(UserId.of(text(n, "u")),
                            PresenceStatus.valueOf(text(n, "s").toUpperCase(Locale.ROOT)),
                            Instant.parse(text(n, "l")))), false);
            case "s" -> new Envelope(origin, new Signal.SessionUpdated(text(n, "s")), false);
            case "x" -> new Envelope(origin, new Signal.Resync(), false);
            case "end" -> new Envelope(origin, new Signal.SessionsEnded(UserId.of(text(n, "u")),
                    n.hasNonNull("b") ? Optional.of(Instant.parse(text(n, "b"))) : Optional.empty()), false);
            default -> throw new IllegalArgumentException("unknown signal kind " + kind);
        };
    }

    private static void writeEvent(JsonGenerator g, RoomEvent event) throws IOException {
        g.writeStringField("r", event.room().value());
        g.writeNumberField("q", event.seq());
        g.writeStringField("at", event.at().toString());
        switch (event) {
            case RoomEvent.MessagePosted posted -> {
                Message m = posted.message();
                g.writeStringField("t", "post");
                g.writeStringField("id", m.id().value());
                g.writeStringField("u", m.author().value());
                g.writeStringField("n", m.authorName());
                g.writeStringField("b", m.body());
                if (m.attachmentUrl().isPresent()) {
                    g.writeStringField("f", m.attachmentUrl().get());
                }
                if (m.editedAt().isPresent()) {
                    g.writeStringField("ed", m.editedAt().get().toString());
                }
                if (m.deleted()) {
                    g.writeBooleanField("d", true);
                }
                if (m.replyTo().isPresent()) {
                    ReplyPreview parent = m.replyTo().get();
                    g.writeObjectFieldStart("rp");
                    g.writeStringField("id", parent.id().value());
                    g.writeStringField("u", parent.author().value());
                    g.writeStringField("n", parent.authorName());
                    g.writeStringField("x", parent.excerpt());
                    g.writeBooleanField("d", parent.deleted());
                    g.writeEndObject();
                }
                if (!m.mentions().isEmpty()) {
                    g.writeArrayFieldStart("mn");
                    for (UserId user : m.mentions()) {
                        g.writeString(user.value());
                    }
                    g.writeEndArray();
                }
            }
            case RoomEvent.MessageEdited edited -> {
                g.writeStringField("t", "edit");
                g.writeStringField("id", edited.messageId().value());
                g.writeStringField("b", edited.body());
            }
            case RoomEvent.MessageDeleted deleted -> {
                g.writeStringField("t", "del");
                g.writeStringField("id", deleted.messageId().value());
            }
            case RoomEvent.MemberJoined joined -> {
                g.writeStringField("t", "join");
                g.writeStringField("u", joined.user().value());
            }
            case RoomEvent.MemberLeft left -> {
                g.writeStringField("t", "leave");
                g.writeStringField("u", left.user().value());
            }
            case RoomEvent.ReadUpTo read -> {
                g.writeStringField("t", "read");
                g.writeStringField("u", read.user().value());
                g.writeNumberField("up", read.upTo());
            }
            case RoomEvent.RoleChanged changed -> {
                g.writeStringField("t", "role");
                g.writeStringField("u", changed.user().value());
                g.writeStringField("by", changed.by().value());
                g.writeStringField("ro", changed.role().wireName());
            }
            case RoomEvent.ReactionAdded added -> {
                g.writeStringField("t", "react");
                g.writeStringField("id", added.messageId().value());
                g.writeStringField("e", added.emoji());
                g.writeStringField("u", added.user().value());
            }
            case RoomEvent.ReactionRemoved removed -> {
                g.writeStringField("t", "unreact");
                g.writeStringField("id", removed.messageId().value());
                g.writeStringField("e", removed.emoji());
                g.writeStringField("u", removed.user().value());
            }
            case RoomEvent.MemberBanned banned -> {
                g.writeStringField("t", "ban");
                g.writeStringField("u", banned.user().value());
                g.writeStringField("by", banned.by().value());
            }
            case RoomEvent.MemberUnbanned unbanned -> {
                g.writeStringField("t", "unban");
                g.writeStringField("u", unbanned.user().value());
                g.writeStringField("by", unbanned.by().value());
            }
            case RoomEvent.RoomDeleted deleted -> {
                g.writeStringField("t", "gone");
                g.writeStringField("by", deleted.by().value());
            }
            case RoomEvent.RoomUpdated updated -> {
                RoomSettings settings = updated.settings();
                g.writeStringField("t", "room");
                g.writeStringField("u", updated.by().value());
                g.writeStringField("n", settings.name());
                g.writeStringField("v", settings.visibility().wireName());
                if (settings.topic().isPresent()) {
                    g.writeStringField("tp", settings.topic().get());
                }
                if (settings.avatarUrl().isPresent()) {
                    g.writeStringField("av", settings.avatarUrl().get());
                }
                g.writeObjectFieldStart("md");
                for (Map.Entry<String, String> entry : settings.metadata().entrySet()) {
                    g.writeStringField(entry.getKey(), entry.getValue());
                }
                g.writeEndObject();
                g.writeBooleanField("ar", settings.archived());
                g.writeArrayFieldStart("ch");
                for (RoomSettings.Field field : updated.changed()) {
                    g.writeString(field.wireName());
                }
                g.writeEndArray();
            }
        }
    }

    private static RoomEvent readEvent(JsonNode n) {
        RoomId room = RoomId.of(text(n, "r"));
        long seq = n.path("q").asLong();
        Instant at = Instant.parse(text(n, "at"));
        String type = text(n, "t");
        return switch (type) {
            case "post" -> new RoomEvent.MessagePosted(new Message(MessageId.of(text(n, "id")), room, seq,
                    UserId.of(text(n, "u")), text(n, "n"), text(n, "b"), optional(n, "f"), at,
                    optional(n, "ed").map(Instant::parse), n.path("d").asBoolean(false), replyTo(n.get("rp")),
                    mentions(n.get("mn"))));
            case "edit" -> new RoomEvent.MessageEdited(room, seq, MessageId.of(text(n, "id")), text(n, "b"), at);
            case "del" -> new RoomEvent.MessageDeleted(room, seq, MessageId.of(text(n, "id")), at);
            case "join" -> new RoomEvent.MemberJoined(room, seq, UserId.of(text(n, "u")), at);
            case "leave" -> new RoomEvent.MemberLeft(room, seq, UserId.of(text(n, "u")), at);
            case "read" -> new RoomEvent.ReadUpTo(room, seq, UserId.of(text(n, "u")), n.path("up").asLong(), at);
            case "room" -> roomUpdated(n, room, seq, at);
            case "role" -> new RoomEvent.RoleChanged(room, seq, UserId.of(text(n, "u")), Role.fromWire(text(n, "ro")),
                    UserId.of(text(n, "by")), at);
            case "react" -> new RoomEvent.ReactionAdded(room, seq, MessageId.of(text(n, "id")), text(n, "e"),
                    UserId.of(text(n, "u")), at);
            case "unreact" -> new RoomEvent.ReactionRemoved(room, seq, MessageId.of(text(n, "id")), text(n, "e"),
                    UserId.of(text(n, "u")), at);
            case "ban" -> new RoomEvent.MemberBanned(room, seq, UserId.of(text(n, "u")), UserId.of(text(n, "by")), at);
            case "unban" -> new RoomEvent.MemberUnbanned(room, seq, UserId.of(text(n, "u")), UserId.of(text(n, "by")),
                    at);
            case "gone" -> new RoomEvent.RoomDeleted(room, seq, UserId.of(text(n, "by")), at);
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
    }

    private static Optional<ReplyPreview> replyTo(JsonNode rp) {
        return rp == null ? Optional.empty() : Optional.of(new ReplyPreview(MessageId.of(text(rp, "id")),
                UserId.of(text(rp, "u")), text(rp, "n"), text(rp, "x"), rp.path("d").asBoolean()));
    }

    private static List<UserId> mentions(JsonNode mn) {
        List<UserId> users = new ArrayList<>();
        if (mn != null) {
            mn.forEach(user -> users.add(UserId.of(user.asText())));
        }
        return users;
    }

    private static RoomEvent.RoomUpdated roomUpdated(JsonNode n, RoomId room, long seq, Instant at) {
        TreeMap<String, String> metadata = new TreeMap<>();
        n.path("md").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        List<RoomSettings.Field> changed = new ArrayList<>();
        n.path("ch").forEach(f -> changed.add(RoomSettings.Field.fromWire(f.asText())));
        RoomSettings settings = new RoomSettings(text(n, "n"), Visibility.fromWire(text(n, "v")), optional(n, "tp"),
                optional(n, "av"), metadata, n.path("ar").asBoolean());
        return new RoomEvent.RoomUpdated(room, seq, UserId.of(text(n, "u")), settings, changed, at);
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value.asText();
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
