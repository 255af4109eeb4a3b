package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import io.parley.engine.ConnectionLog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Presence and lifetime of resumable sessions. A session is live while it streams or polls: the node that
 * finds it not live marks it live in the record, as its own, and registers it with the presence registry,
 * atomically, so that of several nodes exactly one announces it. That node also ends it: a registry may
 * keep (and restore) the sessions of the node that opened them, so only the opener closes one. Every node
 * {@link #sweep sweeps}: it ends the presence of its own live sessions not seen for two heartbeat intervals;
 * a session still marked live by another node long after that (four intervals) belongs to a node that is
 * gone, whose registry entries expire on their own, and is only marked not live. Records idle past their
 * expiry are removed.
 */
final class Liveness {
    private static final System.Logger LOG = System.getLogger(Liveness.class.getName());
    private static final int SWEEP_BATCH = 500;

    private final Node node;
    private final String nodeId;

    Liveness(Node node, String nodeId) {
        this.node = node;
        this.nodeId = nodeId;
    }

    /**
     * The session is being served until {@code until} (a poll's end, or now for a stream refreshing itself).
     *
     * @return the updated record, empty when it is gone
     */
    Optional<ResumableSession> seen(ResumableSession session, User user, Instant until) {
        Duration idle = node.settings().idleExpiry();
        AtomicBoolean madeLive = new AtomicBoolean();
        Instant now = node.clock().instant();
        Optional<ResumableSession> updated = node.records().update(session.id(), current -> {
            if (current.expired(now)) {
                madeLive.set(false);
                return current; // ended (idle, or beyond its user's cap): never brought back
            }
            madeLive.set(!current.live());
            Instant seenUntil = later(current.seenUntil(), until);
            return current.withLiveness(current.live() ? current.liveOn() : Optional.of(nodeId), seenUntil,
                    later(current.expiresAt(), seenUntil.plus(idle)));
        });
        if (updated.isPresent() && madeLive.get()) {
            node.hub().sessionLive(user, session.id());
        }
        return updated;
    }

    /** A stream ended now: the session counts as gone once it stays away for two heartbeat intervals. */
    void left(ResumableSession session, Instant now) {
        try {
            node.records().update(session.id(), current -> current.expired(now) ? current
                    : current.withLiveness(current.liveOn(), now,
                    later(current.expiresAt(), now.plus(node.settings().idleExpiry()))));
        } catch (ParleyException e) {
            LOG.log(System.Logger.Level.DEBUG, "session " + session.id() + " not updated at stream end", e);
        }
    }

    /** A command was posted: the record stays, though presence does not change. */
    void used(String session, Instant now) {
        try {
            node.records().update(session, current -> current.expired(now) ? current
                    : current.withLiveness(current.liveOn(), current.seenUntil(),
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
        Instant orphanedSince = now.minus(node.heartbeat().multipliedBy(4));
        try {
            for (ResumableSession session : node.records().silent(silentSince, SWEEP_BATCH)) {
                boolean mine = session.liveOn().equals(Optional.of(nodeId));
                if (!mine && !session.seenUntil().isBefore(orphanedSince)) {
                    continue; // its own node ends it
                }
                AtomicBoolean ended = new AtomicBoolean();
                node.records().update(session.id(), current -> {
                    boolean end = current.liveOn().equals(session.liveOn())
                            && current.seenUntil().isBefore(mine ? silentSince : orphanedSince);
                    ended.set(end);
                    return end ? current.withLiveness(Optional.empty(), current.seenUntil(), current.expiresAt())
                            : current;
                });
                if (ended.get() && mine) {
                    node.hub().sessionGone(new User(session.user(), session.user().value()), session.id());
                    ConnectionLog.resumableEnded(session.id(), session.user().value(), session.seenUntil());
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
