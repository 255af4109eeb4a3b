package io.parley.domain;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a room's managers may change about it after creating it. Each change is a durable
 * {@link RoomEvent.RoomUpdated} that carries the settings it leaves, so a client that resumes learns them
 * as it learns messages.
 *
 * @param name       display name
 * @param visibility open or private
 * @param topic      a line about what the room is for
 * @param avatarUrl  an absolute {@code http(s)} URL of its picture
 * @param metadata   the embedding product's own data, string keys to string values (a CRM deal id, say),
 *                   sorted by key; Parley stores and returns it and reads nothing in it
 * @param archived   an archived room is read-only: its history stays readable, nobody posts, edits,
 *                   deletes, joins or types in it until it is unarchived
 */
public record RoomSettings(String name, Visibility visibility, Optional<String> topic, Optional<String> avatarUrl,
                           SortedMap<String, String> metadata, boolean archived) {
    /** Validates the settings and keeps an unmodifiable copy of the metadata. */
    public RoomSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(avatarUrl, "avatarUrl");
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /**
     * @param name       display name
     * @param visibility open or private
     * @return a new room's settings: no topic, picture or metadata, not archived
     */
    public static RoomSettings of(String name, Visibility visibility) {
        return new RoomSettings(name, visibility, Optional.empty(), Optional.empty(), new TreeMap<>(), false);
    }

    /**
     * @param after the settings after a change
     * @return the fields whose values differ, in declaration order
     */
    public List<Field> changedTo(RoomSettings after) {
        return java.util.Arrays.stream(Field.values()).filter(f -> !f.value(this).equals(f.value(after))).toList();
    }

    /** A setting, by its protocol name. */
    public enum Field {
        /** {@link RoomSettings#name()} */
        NAME,
        /** {@link RoomSettings#visibility()} */
        VISIBILITY,
        /** {@link RoomSettings#topic()} */
        TOPIC,
        /** {@link RoomSettings#avatarUrl()} */
        AVATAR_URL,
        /** {@link RoomSettings#metadata()} */
        METADATA,
        /** {@link RoomSettings#archived()} */
        ARCHIVED;

        /** @return the protocol spelling: {@code name}, {@code avatar_url}, … */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param wireName a protocol spelling
         * @return the field
         * @throws ParleyException {@code invalid} for a name that is not a setting
         */
        public static Field fromWire(String wireName) {
            for (Field f : values()) {
                if (f.wireName().equals(wireName)) {
                    return f;
                }
            }
            throw ParleyException.invalid("unknown room setting " + wireName);
        }

        private Object value(RoomSettings s) {
            return switch (this) {
                case NAME -> s.name();
                case VISIBILITY -> s.visibility();
                case TOPIC -> s.topic();
                case AVATAR_URL -> s.avatarUrl();
                case METADATA -> s.metadata();
                case ARCHIVED -> s.archived();
            };
        }
    }
}
