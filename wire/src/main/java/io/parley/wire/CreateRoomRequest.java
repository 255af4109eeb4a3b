package io.parley.wire;

import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /v1/rooms}, checked for shape only: the room name's length and content are the
 * use case's to check (it knows the configured limits).
 *
 * @param name       the requested display name, as sent
 * @param visibility open (the default) or private
 * @param members    users to add besides the creator (empty by default)
 */
public record CreateRoomRequest(String name, Visibility visibility, List<UserId> members) {
    /** Validates presence of the fields and copies the list. */
    public CreateRoomRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        members = List.copyOf(members);
    }
}
