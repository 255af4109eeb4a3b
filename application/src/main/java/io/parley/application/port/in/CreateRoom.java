package io.parley.application.port.in;

import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.util.List;
import java.util.Objects;

/**
 * Create a room. The creator becomes owner and first member; {@code members} are added after them.
 *
 * @param name       display name
 * @param visibility open or private
 * @param members    other initial members
 */
public record CreateRoom(String name, Visibility visibility, List<UserId> members) {
    /** Most initial members in one request. */
    public static final int MAX_INITIAL_MEMBERS = 1000;

    /** Validates the command. */
    public CreateRoom {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        members = List.copyOf(members);
        if (members.size() > MAX_INITIAL_MEMBERS) {
            throw io.parley.domain.ParleyException.tooLarge("at most " + MAX_INITIAL_MEMBERS + " initial members");
        }
    }
}
