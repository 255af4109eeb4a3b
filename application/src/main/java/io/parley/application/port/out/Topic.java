package io.parley.application.port.out;

import io.parley.domain.RoomId;
import io.parley.domain.UserId;

/** Where a {@link Signal} is published: a room, or one user's personal channel. */
public sealed interface Topic {
    /** @return a stable name, unique across topic kinds (e.g. {@code room:general}), for brokers */
    String key();

    /**
     * A room's topic: its durable events, typing and the presence of its members.
     *
     * @param room the room
     */
    record Room(RoomId room) implements Topic {
        @Override
        public String key() {
            return "room:" + room.value();
        }
    }

    /**
     * A user's topic: the user's own membership changes, so that inbox sessions follow rooms they join.
     *
     * @param user the user
     */
    record User(UserId user) implements Topic {
        @Override
        public String key() {
            return "user:" + user.value();
        }
    }

    /**
     * @param room room id
     * @return its topic
     */
    static Topic room(RoomId room) {
        return new Room(room);
    }

    /**
     * @param user user id
     * @return their topic
     */
    static Topic user(UserId user) {
        return new User(user);
    }
}
