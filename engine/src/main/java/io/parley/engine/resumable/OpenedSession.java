package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;

/**
 * A resumable session opened or resumed for a stream or a poll.
 */
public final class OpenedSession {
    private final ResumableSession record;
    private final Cursor cursor;
    private final boolean resumed;

    OpenedSession(ResumableSession record, Cursor cursor, boolean resumed) {
        this.record = record;
        this.cursor = cursor;
        this.resumed = resumed;
    }

    /** @return the session id */
    public String id() {
        return record.id();
    }

    /** @return where the client is */
    public Cursor cursor() {
        return cursor;
    }

    /** @return whether an existing session goes on (false: a new one, whose {@code welcome} says so) */
    public boolean resumed() {
        return resumed;
    }

    ResumableSession record() {
        return record;
    }
}
