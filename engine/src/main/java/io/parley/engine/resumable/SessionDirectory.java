package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.domain.ParleyException;
import io.parley.domain.User;

import java.time.Instant;
import java.util.Optional;

/** Finds the session a request names, or opens a new one. */
final class SessionDirectory {
    private final Node node;

    SessionDirectory(Node node) {
        this.node = node;
    }

    /**
     * Resumes the cursor's session when it is the user's and has not expired; otherwise opens a new one
     * (an expired or foreign cursor is not an error: the new {@code welcome} says {@code resumed: false}).
     */
    OpenedSession openOrResume(User user, Optional<Cursor> cursor, Instant now) {
        if (cursor.isPresent()) {
            Optional<ResumableSession> existing = find(user, cursor.get().session(), now);
            if (existing.isPresent()) {
                return new OpenedSession(existing.get(), cursor.get(), true);
            }
        }
        ResumableSession record = ResumableSession.open(node.ids().next(), user.id(), now,
                now.plus(node.settings().idleExpiry()));
        node.records().create(record);
        return new OpenedSession(record, Cursor.start(record.id()), false);
    }

    /** @return the session, when it exists, has not expired and belongs to the user */
    Optional<ResumableSession> find(User user, String session, Instant now) {
        return node.records().find(session)
                .filter(record -> record.user().equals(user.id()) && !record.expired(now));
    }

    /** @return the session a command POST names; {@code not_found} otherwise (foreign ones included) */
    ResumableSession forCommands(User user, String session, Instant now) {
        return find(user, session, now).orElseThrow(() -> ParleyException.notFound("unknown session"));
    }
}
