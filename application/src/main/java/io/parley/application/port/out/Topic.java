package io.parley.application.port.out;

import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.Objects;

/**
 * Where a {@link Signal} is published: a room, one user's personal channel, one resumable session, or every
 * node.
 */
public sealed interface Topic {
    /** @return a stable name, unique across topic kinds (e.g. {@code room:general}), for brokers */
    String key();

    /**
     * A room's topic: its durable events, typing and the presence of its members.
     *
     * @param room whose events it carries
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
     * @param user whose membership changes it carries
     */
    record User(UserId user) implements Topic {
        @Override
        public String key() {
            return "user:" + user.value();
        }
    }

    /**
     * A resumable session's topic ({@link ResumableSessions}): tells the node streaming the session that a
     * command posted on any node changed its record.
     *
     * @param session the session id
     */
    record Session(String session) implements Topic {
        /** Validates the topic. */
        public Session {
            Objects.requireNonNull(session, "session");
        }

        @Override
        public String key() {
            return "session:" + session;
        }
    }

    /**
     * Every node's topic: what each node acts on for the whole deployment, such as a user's sessions ended by
     * the backend ({@link Signal.SessionsEnded}). Each node subscribes once.
     */
    record Nodes() implements Topic {
        @Override
        public String key() {
            return "nodes";
        }
    }

    /** @return the topic every node listens to */
    static Topic nodes() {
        return new Nodes();
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

    /**
     * @param session resumable session id
     * @return its topic
     */
    static Topic session(String session) {
        return new Session(session);
    }
}
