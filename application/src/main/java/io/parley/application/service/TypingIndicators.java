package io.parley.application.service;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typing indicators started on this node. Announces a start and an end once each (renewals only move the
 * deadline); {@link #expire()} — run by a shared scheduler, never a timer per indicator — ends those not
 * renewed within {@link Typing#EXPIRY}.
 */
public final class TypingIndicators {
    private final Map<Key, Instant> deadlines = new ConcurrentHashMap<>();
    private final Fanout fanout;
    private final Clock clock;

    private TypingIndicators(Fanout fanout, Clock clock) {
        this.fanout = fanout;
        this.clock = clock;
    }

    /**
     * @param fanout where changes are published
     * @param clock  time
     * @return the indicators
     */
    public static TypingIndicators create(Fanout fanout, Clock clock) {
        return new TypingIndicators(fanout, clock);
    }

    void set(RoomId room, UserId user, boolean active) {
        Key key = new Key(room, user);
        if (active) {
            Instant previous = deadlines.put(key, clock.instant().plus(Typing.EXPIRY));
            if (previous == null) {
                announce(key, true);
            }
        } else if (deadlines.remove(key) != null) {
            announce(key, false);
        }
    }

    /** Ends every indicator whose deadline has passed. */
    public void expire() {
        Instant now = clock.instant();
        deadlines.forEach((key, deadline) -> {
            if (!deadline.isAfter(now) && deadlines.remove(key, deadline)) {
                announce(key, false);
            }
        });
    }

    /**
     * Ends a user's indicators in every room (their last session closed).
     *
     * @param user whose indicators end
     */
    public void endAll(UserId user) {
        deadlines.keySet().stream()
                .filter(key -> key.user().equals(user))
                .forEach(key -> {
                    if (deadlines.remove(key) != null) {
                        announce(key, false);
                    }
                });
    }

    private void announce(Key key, boolean active) {
        fanout.publish(Topic.room(key.room()), new Signal.TypingChanged(new Typing(key.room(), key.user(), active)));
    }

    private record Key(RoomId room, UserId user) {
    }
}
