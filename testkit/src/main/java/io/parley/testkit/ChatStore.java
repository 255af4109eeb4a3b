package io.parley.testkit;

import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;

import java.util.Objects;

/**
 * The store under test in {@link ChatStoreContract}: the {@link Rooms} and {@link RoomLog} ports of one
 * storage, sharing its state. Both may be the same object.
 */
public interface ChatStore extends AutoCloseable {
    /** @return the rooms port */
    Rooms rooms();

    /** @return the room log port */
    RoomLog log();

    /** Releases what the store holds (connections, pools); called after each test. Does nothing by default. */
    @Override
    default void close() {
    }

    /**
     * @param rooms the rooms port
     * @param log   the log port over the same storage
     * @return the two as a store under test
     */
    static ChatStore of(Rooms rooms, RoomLog log) {
        return new Ports(rooms, log);
    }

    /**
     * @param store one object implementing both ports
     * @param <T>   its type
     * @return it as a store under test
     */
    static <T extends Rooms & RoomLog> ChatStore of(T store) {
        return new Ports(store, store);
    }

    /** The plain pair behind {@link #of}. */
    record Ports(Rooms rooms, RoomLog log) implements ChatStore {
        /** Validates the pair. */
        public Ports {
            Objects.requireNonNull(rooms, "rooms");
            Objects.requireNonNull(log, "log");
        }
    }
}
