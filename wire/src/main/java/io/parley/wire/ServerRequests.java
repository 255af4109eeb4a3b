package io.parley.wire;

import io.parley.domain.UserId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The bodies of the server API's requests ({@code /v1/server/...}), as decoded by {@link ProtocolCodec}. */
public final class ServerRequests {
    private ServerRequests() {
    }

    /**
     * {@code PUT /v1/server/rooms/{room}}.
     *
     * @param owner the room's owner
     * @param room  its name, visibility and other initial members
     */
    public record EnsureRoom(UserId owner, CreateRoomRequest room) {
        /** Checks the parts. */
        public EnsureRoom {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(room, "room");
        }
    }

    /**
     * {@code POST /v1/server/rooms/{room}/members}.
     *
     * @param add    users to make members
     * @param remove members to remove
     */
    public record MembersChange(List<UserId> add, List<UserId> remove) {
        /** Copies the lists. */
        public MembersChange {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    /**
     * {@code POST /v1/server/rooms/{room}/messages}.
     *
     * @param as       the author, a member of the room
     * @param name     the author's display name (default: the id)
     * @param body     the text
     * @param clientId the idempotency key of the post
     * @param mentions users it mentions
     */
    public record Post(UserId as, Optional<String> name, String body, Optional<String> clientId,
                       List<UserId> mentions) {
        /** Checks the parts. */
        public Post {
            Objects.requireNonNull(as, "as");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(clientId, "clientId");
            mentions = List.copyOf(mentions);
        }
    }
}
