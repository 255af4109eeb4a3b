package io.parley.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.parley.domain.Message;
import io.parley.domain.Reaction;
import io.parley.domain.ReplyPreview;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomSettings;
import io.parley.domain.UserId;
import io.parley.engine.ServerEvent;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Writes server events, room events and messages in their protocol v1 shape: {@code type} first,
 * snake_case fields, ids as strings, {@code Z} timestamps, {@code ref} only when there is one.
 */
final class EventJson {
    private EventJson() {
    }

    static void writeEvent(JsonGenerator g, ServerEvent event) throws IOException {
        switch (event) {
            case ServerEvent.Welcome w -> {
                g.writeStartObject();
                g.writeStringField("type", "welcome");
                g.writeStringField("user", w.user().value());
                g.writeStringField("session", w.session());
                g.writeStringField("transport", w.transport().wireName());
                g.writeNumberField("heartbeat_ms", w.heartbeatMs());
                g.writeBooleanField("resumed", w.resumed());
                g.writeEndObject();
            }
            case ServerEvent.Ack a -> writeAck(g, a);
            case ServerEvent.Error e -> {
                g.writeStartObject();
                g.writeStringField("type", "error");
                writeRef(g, e.ref());
                g.writeStringField("code", e.code());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            case ServerEvent.Durable d -> writeRoomEvent(g, d.event());
            case ServerEvent.TypingEvent t -> {
                g.writeStartObject();
                g.writeStringField("type", "typing");
                g.writeStringField("room", t.typing().room().value());
                g.writeStringField("user", t.typing().user().value());
                g.writeBooleanField("active", t.typing().active());
                g.writeEndObject();
            }
            case ServerEvent.PresenceEvent p -> {
                g.writeStartObject();
                g.writeStringField("type", "presence");
                g.writeStringField("user", p.presence().user().value());
                g.writeStringField("status", p.presence().status().wireName());
                g.writeStringField("last_seen", Json.timestamp(p.presence().lastSeen()));
                g.writeEndObject();
            }
            case ServerEvent.Pong p -> {
                g.writeStartObject();
                g.writeStringField("type", "pong");
                writeRef(g, p.ref());
                g.writeEndObject();
            }
        }
    }

    private static void writeAck(JsonGenerator g, ServerEvent.Ack ack) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "ack");
        writeRef(g, ack.ref());
        switch (ack.result()) {
            case ServerEvent.Done d -> {
                // nothing but the ref
            }
            case ServerEvent.Posted p -> {
                g.writeFieldName("message");
                writeMessage(g, p.message());
            }
            case ServerEvent.Changed c -> {
                g.writeFieldName("event");
                writeRoomEvent(g, c.event());
            }
            case ServerEvent.Subscribed s -> writeSubscribedFields(g, s);
            case ServerEvent.InboxSubscribed inbox -> {
                g.writeArrayFieldStart("rooms");
                for (ServerEvent.Subscribed s : inbox.rooms()) {
                    g.writeStartObject();
                    writeSubscribedFields(g, s);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    private static void writeSubscribedFields(JsonGenerator g, ServerEvent.Subscribed s) throws IOException {
        g.writeStringField("room", s.room().value());
        g.writeNumberField("last_seq", s.lastSeq());
        g.writeNumberField("replayed", s.replayed());
        g.writeBooleanField("complete", s.complete());
    }

    /** A durable room event as its own event object, the same wherever it appears. */
    static void writeRoomEvent(JsonGenerator g, RoomEvent event) throws IOException {
        g.writeStartObject();
        switch (event) {
            case RoomEvent.MessagePosted p -> {
                writeDurableHeader(g, "message", event);
                g.writeFieldName("message");
                writeMessage(g, p.message());
            }
            case RoomEvent.MessageEdited e -> {
                writeDurableHeader(g, "message_edited", event);
                g.writeStringField("message_id", e.messageId().value());
                // Bodies are never blank, so an empty one is an edit of a message deleted since: no body.
                writeNullable(g, "body", e.body().isEmpty() ? Optional.empty() : Optional.of(e.body()));
                g.writeStringField("edited_at", Json.timestamp(e.at()));
            }
            case RoomEvent.MessageDeleted d -> {
                writeDurableHeader(g, "message_deleted", event);
                g.writeStringField("message_id", d.messageId().value());
            }
            case RoomEvent.MemberJoined j -> {
                writeDurableHeader(g, "member_joined", event);
                g.writeStringField("user", j.user().value());
            }
            case RoomEvent.MemberLeft l -> {
                writeDurableHeader(g, "member_left", event);
                g.writeStringField("user", l.user().value());
            }
            case RoomEvent.ReadUpTo r -> {
                writeDurableHeader(g, "read", event);
                g.writeStringField("user", r.user().value());
                g.writeNumberField("up_to", r.upTo());
            }
            case RoomEvent.RoleChanged r -> {
                writeDurableHeader(g, "role_changed", event);
                g.writeStringField("user", r.user().value());
                g.writeStringField("role", r.role().wireName());
                g.writeStringField("by", r.by().value());
            }
            case RoomEvent.MemberBanned b -> {
                writeDurableHeader(g, "member_banned", event);
                g.writeStringField("user", b.user().value());
                g.writeStringField("by", b.by().value());
            }
            case RoomEvent.MemberUnbanned u -> {
                writeDurableHeader(g, "member_unbanned", event);
                g.writeStringField("user", u.user().value());
                g.writeStringField("by", u.by().value());
            }
            case RoomEvent.ReactionAdded r -> {
                writeDurableHeader(g, "reaction_added", event);
                g.writeStringField("message_id", r.messageId().value());
                g.writeStringField("emoji", r.emoji());
                g.writeStringField("user", r.user().value());
            }
            case RoomEvent.ReactionRemoved r -> {
                writeDurableHeader(g, "reaction_removed", event);
                g.writeStringField("message_id", r.messageId().value());
                g.writeStringField("emoji", r.emoji());
                g.writeStringField("user", r.user().value());
            }
            case RoomEvent.RoomDeleted d -> {
                writeDurableHeader(g, "room_deleted", event);
                g.writeStringField("by", d.by().value());
            }
            case RoomEvent.RoomUpdated u -> {
                writeDurableHeader(g, "room_updated", event);
                g.writeStringField("by", u.by().value());
                g.writeArrayFieldStart("changed");
                for (RoomSettings.Field field : u.changed()) {
                    g.writeString(field.wireName());
                }
                g.writeEndArray();
                writeSettings(g, u.settings());
                g.writeStringField("updated_at", Json.timestamp(u.at()));
            }
        }
        g.writeEndObject();
    }

    /** A room's settings as fields of the object being written: absent topic and picture as {@code null}. */
    static void writeSettings(JsonGenerator g, RoomSettings settings) throws IOException {
        g.writeStringField("name", settings.name());
        g.writeStringField("visibility", settings.visibility().wireName());
        writeNullable(g, "topic", settings.topic());
        writeNullable(g, "avatar_url", settings.avatarUrl());
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : settings.metadata().entrySet()) {
            g.writeStringField(entry.getKey(), entry.getValue());
        }
        g.writeEndObject();
        g.writeBooleanField("archived", settings.archived());
    }

    private static void writeDurableHeader(JsonGenerator g, String type, RoomEvent event) throws IOException {
        g.writeStringField("type", type);
        g.writeStringField("room", event.room().value());
        g.writeNumberField("seq", event.seq());
    }

    /**
     * A message in its current state; absent attachment and edit time are written as {@code null}, and so
     * is a tombstone's body ("no body" in the protocol). {@code reply_to} and {@code mentions} are written only
     * when the message has them: most messages have neither, and every delivery carries these bytes.
     */
    static void writeMessage(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id().value());
        g.writeStringField("room", m.room().value());
        g.writeNumberField("seq", m.seq());
        g.writeStringField("author", m.author().value());
        g.writeStringField("author_name", m.authorName());
        writeNullable(g, "body", m.deleted() ? Optional.empty() : Optional.of(m.body()));
        writeNullable(g, "attachment_url", m.attachmentUrl());
        g.writeStringField("sent_at", Json.timestamp(m.sentAt()));
        writeNullable(g, "edited_at", m.editedAt().map(Json::timestamp));
        g.writeBooleanField("deleted", m.deleted());
        if (m.replyTo().isPresent()) {
            ReplyPreview parent = m.replyTo().get();
            g.writeObjectFieldStart("reply_to");
            g.writeStringField("id", parent.id().value());
            g.writeStringField("author", parent.author().value());
            g.writeStringField("author_name", parent.authorName());
            writeNullable(g, "excerpt", parent.deleted() ? Optional.empty() : Optional.of(parent.excerpt()));
            g.writeBooleanField("deleted", parent.deleted());
            g.writeEndObject();
        }
        if (!m.mentions().isEmpty()) {
            g.writeArrayFieldStart("mentions");
            for (UserId user : m.mentions()) {
                g.writeString(user.value());
            }
            g.writeEndArray();
        }
        if (!m.reactions().isEmpty()) {
            g.writeArrayFieldStart("reactions");
            for (Reaction reaction : m.reactions()) {
                g.writeStartObject();
                g.writeStringField("emoji", reaction.emoji());
                g.writeNumberField("count", reaction.count());
                g.writeBooleanField("me", reaction.mine());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeNullable(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        } else {
            g.writeNullField(name);
        }
    }

    private static void writeRef(JsonGenerator g, Optional<String> ref) throws IOException {
        if (ref.isPresent()) {
            g.writeStringField("ref", ref.get());
        }
    }
}
