package io.parley.adapters.ssepolling;

import io.parley.application.port.out.ResumableSession;
import io.parley.domain.ParleyException;
import io.parley.domain.User;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Presence and lifetime of resumable sessions. A session is live while it streams or polls: the node that
 * finds it not live marks it live in the record and registers it with the presence registry, atomically,
 * so that of several nodes exactly one announces it. Every node {@link #sweep sweeps}: a live session not
 * seen for two heartbeat intervals is marked gone (and its presence closed) the same way, and records idle
 * past their expiry are removed, so sessions of a crashed node are cleaned up by the others.
 */
final class Liveness {
    private static final System.Logger LOG = System.getLogger(Liveness.class.getName());
    private static final int SWEEP_BATCH = 500;

    private final Node node;

    Liveness(Node node) {
        this.node = node;
    }

    /**
     * The session is being served until {@code until} (a poll's end, or now for a stream refreshing itself).
     *
     * @return the updated record, empty when it is gone
     */
    Optional<ResumableSession> seen(ResumableSession session, User user, Instant until) {
        Duration idle = node.settings().idleExpiry();
        AtomicBoolean madeLive = new AtomicBoolean();
        Optional<ResumableSession> updated = node.records().update(session.id(), current -> {
            madeLive.set(!current.live());
            Instant seenUntil = later(current.seenUntil(), until);
            return current.withLiveness(true, seenUntil, later(current.expiresAt(), seenUntil.plus(idle)));
        });
        if (updated.isPresent() && madeLive.get()) {
            node.hub().sessionLive(user, session.id());
        }
        return updated;
    }

    /** A stream ended now: the session counts as gone once it stays away for two heartbeat intervals. */
    void left(ResumableSession session, Instant now) {
        try {
            node.records().update(session.id(), current -> current.withLiveness(current.live(), now,
                    later(current.expiresAt(), now.plus(node.settings().idleExpiry()))));
        } catch (ParleyException e) {
            LOG.log(System.Logger.Level.DEBUG, "session " + session.id() + " not updated at stream end", e);
        }
    }

    /** A command was posted: the record stays, though presence does not change. */
    void used(String session, Instant now) {
        try {
            node.records().update(session, current -> current.withLiveness(current.live(), current.seenUntil(),
                    later(current.expiresAt(), now.plus(node.settings().idleExpiry()))));
        } catch (ParleyException e) {
            // The commands ran; only the expiry was not pushed back. The next stream or poll does it.
            LOG.log(System.Logger.Level.WARNING, "session " + session + " not refreshed: " + e.getMessage());
        }
    }

    /** Ends the presence of sessions not seen for two heartbeats and forgets expired records. */
    void sweep() {
        Instant now = node.clock().instant();
        Instant silentSince = now.minus(node.heartbeat().multipliedBy(2));
        try {
            List<ResumableSession> silent = node.records().silent(silentSince, SWEEP_BATCH);
            for (ResumableSession session : silent) {
                AtomicBoolean madeGone = new AtomicBoolean();
                node.records().update(session.id(), current -> {
                    boolean gone = current.live() && current.seenUntil().isBefore(silentSince);
                    madeGone.set(gone);
                    return gone ? current.withLiveness(false, current.seenUntil(), current.expiresAt()) : current;
                });
                if (madeGone.get()) {
                    node.hub().sessionGone(new User(session.user(), session.user().value()), session.id());
                }
            }
            node.records().removeExpired(now);
        } catch (ParleyException e) {
            LOG.log(System.Logger.Level.WARNING, "sweeping resumable sessions failed: " + e.getMessage());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
