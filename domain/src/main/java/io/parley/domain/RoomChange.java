package io.parley.domain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request to change some of a room's settings: what is absent stays as it is. An empty topic or avatar
 * URL removes it. Metadata is merged key by key, as Stripe's is: a key with a value sets it, a key with an
 * empty value removes it, keys not named stay; so two backends that own different keys never undo each
 * other's writes.
 *
 * @param name       a new display name
 * @param visibility a new visibility
 * @param topic      a new topic, empty to remove it
 * @param avatarUrl  a new picture URL, empty to remove it
 * @param metadata   keys to set (non-empty value) or remove (empty value)
 * @param archived   archive ({@code true}) or unarchive ({@code false})
 */
public record RoomChange(Optional<String> name, Optional<Visibility> visibility, Optional<String> topic,
                         Optional<String> avatarUrl, Map<String, String> metadata, Optional<Boolean> archived) {
    /** Validates presence and copies the metadata. */
    public RoomChange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(avatarUrl, "avatarUrl");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(archived, "archived");
    }

    /** @return whether the change names nothing at all */
    public boolean isEmpty() {
        return name.isEmpty() && visibility.isEmpty() && topic.isEmpty() && avatarUrl.isEmpty() && metadata.isEmpty()
                && archived.isEmpty();
    }

    /**
     * Checks every value against the limits (the name is stripped, as at creation).
     *
     * @param limits the deployment's length limits
     * @return the change with its values as they will be stored
     * @throws ParleyException {@code invalid} or {@code too_large}
     */
    public RoomChange checked(ChatLimits limits) {
        return new RoomChange(name.map(limits::checkRoomName), visibility,
                topic.map(t -> t.isEmpty() ? t : limits.checkTopic(t)),
                avatarUrl.map(u -> u.isEmpty() ? u : limits.checkAvatarUrl(u)), limits.checkMetadataChange(metadata),
                archived);
    }

    /**
     * @param current the room's settings now
     * @return the settings once this change is applied to them
     */
    public RoomSettings applyTo(RoomSettings current) {
        TreeMap<String, String> merged = new TreeMap<>(current.metadata());
        metadata.forEach((key, value) -> {
            if (value.isEmpty()) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return new RoomSettings(name.orElse(current.name()), visibility.orElse(current.visibility()),
                topic.isPresent() ? topic.filter(t -> !t.isEmpty()) : current.topic(),
                avatarUrl.isPresent() ? avatarUrl.filter(u -> !u.isEmpty()) : current.avatarUrl(),
                merged, archived.orElse(current.archived()));
    }
}
