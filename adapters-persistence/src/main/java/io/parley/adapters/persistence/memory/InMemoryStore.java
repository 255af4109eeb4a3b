package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.FeedCursors;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;

/**
 * A thread-safe, in-memory implementation of the {@link Rooms} and {@link RoomLog} ports over one shared
 * state. Nothing survives the JVM, and nothing is shared between nodes: use it for tests, demos and
 * single-node deployments.
 *
 * <p>Appends lock only their own room, so writers to different rooms never wait for each other, except
 * that a post with a client id also locks its (author, client id) key, one of a fixed set of stripes: a
 * client id is the author's in every room, as the protocol says. A delete removes the message's content
 * from the log too, so replay returns its tombstone. The store needs no clock: every time it keeps comes
 * from the room or the draft it is given.
 */
public final class InMemoryStore {
    private final RoomDirectory directory;
    private final InMemoryFeedCursors feedCursors;

    private InMemoryStore(RoomDirectory directory) {
        this.directory = directory;
        this.feedCursors = new InMemoryFeedCursors(directory::lastSeqs);
    }

    /** @return a new, empty store */
    public static InMemoryStore create() {
        return new InMemoryStore(new RoomDirectory());
    }

    /** @return the rooms port of this store */
    public Rooms rooms() {
        return directory;
    }

    /** @return the log port of this store, over the same state as {@link #rooms()} */
    public RoomLog log() {
        return directory;
    }

    /**
     * @return where event listeners' positions in this store's rooms are kept (in memory: a restart starts
     *         them again from the rooms as they are then, which are empty)
     */
    public FeedCursors feedCursors() {
        return feedCursors;
    }
}
