package io.parley.application.service;

import io.parley.application.port.in.TrackPresence;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.Rooms;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomId;
import io.parley.domain.User;

import java.time.Clock;
import java.util.Optional;

/**
 * Keeps the presence registry up to date as sessions open, close and set their status, and announces a
 * user's changed status in every room they belong to. A user's typing indicators end with their last
 * session.
 */
public final class PresenceTracker implements TrackPresence {
    private final PresenceRegistry registry;
    private final Rooms rooms;
    private final Fanout fanout;
    private final TypingIndicators typing;
    private final Clock clock;

    private PresenceTracker(ChatContext ctx, TypingIndicators typing) {
        this.registry = ctx.presence();
        this.rooms = ctx.rooms();
        this.fanout = ctx.fanout();
        this.typing = typing;
        this.clock = ctx.clock();
        registry.onExpiry(this::expired);
    }

    /**
     * @param ctx    ports
     * @param typing typing indicators to end when a user goes offline
     * @return the tracker
     */
    public static PresenceTracker create(ChatContext ctx, TypingIndicators typing) {
        return new PresenceTracker(ctx, typing);
    }

    @Override
    public void opened(User user, String session) {
        registry.sessionOpened(user.id(), session, clock.instant()).ifPresent(this::announce);
    }

    @Override
    public void closed(User user, String session) {
        Optional<Presence> changed = registry.sessionClosed(user.id(), session, clock.instant());
        changed.ifPresent(presence -> {
            if (presence.status() == PresenceStatus.OFFLINE) {
                typing.endAll(user.id());
            }
            announce(presence);
        });
    }

    @Override
    public void set(User user, String session, PresenceStatus status) {
        if (status == PresenceStatus.OFFLINE) {
            throw ParleyException.invalid("status must be online or away");
        }
        registry.statusSet(user.id(), session, status, clock.instant()).ifPresent(this::announce);
    }

    private void expired(Presence presence) {
        if (presence.status() == PresenceStatus.OFFLINE) {
            typing.endAll(presence.user());
        }
        announce(presence);
    }

    private void announce(Presence presence) {
        for (RoomId room : rooms.roomsOf(presence.user())) {
            fanout.publish(Topic.room(room), new Signal.PresenceChanged(room, presence));
        }
    }
}
