package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.ParleyException;
import io.parley.domain.User;

import java.time.Instant;
import java.util.List;
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
        endBeyondCap(user, record, now);
        return new OpenedSession(record, Cursor.start(record.id()), false);
    }

    /**
     * A user holds at most {@code maxSessionsPerUser} sessions: beyond it, the ones used longest ago end
     * (their records expire now; a stream of one sees it gone and closes with {@code going_away}, its cursor
     * then opens a new session). Ending rather than refusing keeps a user who reloads a page many times
     * within the idle expiry served, while the records one token can make stay bounded. Checked on every
     * node against the shared records, without a lock: sessions opened at the same moment may leave the
     * user one or two over the cap until the next one opens.
     */
    private void endBeyondCap(User user, ResumableSession opened, Instant now) {
        int max = node.settings().maxSessionsPerUser();
        List<ResumableSession> held = node.records().ofUser(user.id(), now);
        int excess = held.size() - max;
        for (ResumableSession old : held) {
            if (excess <= 0) {
                return;
            }
            if (!old.id().equals(opened.id())) {
                node.records().update(old.id(), current -> current.withLiveness(current.liveOn(),
                        current.seenUntil(), now));
                // Its stream, on whatever node, re-reads the record at once and ends.
                node.fanout().publish(Topic.session(old.id()), new Signal.SessionUpdated(old.id()));
                node.metrics().limitRefused("sessions_per_user");
                excess--;
            }
        }
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
