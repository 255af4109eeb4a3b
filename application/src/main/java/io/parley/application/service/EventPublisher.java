package io.parley.application.service;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomEvent;

import java.util.List;

/**
 * Publishes stored events: on the room's topic, and membership changes also on the member's own topic
 * (so their inbox sessions start or stop following the room). A member who joins while online or away is
 * announced in the room right after their {@code member_joined}, with their current presence: the room's
 * other members learn it then, not at the joiner's next change (presence events are changes; the joiner
 * reads the others' from the room's presence list).
 */
public final class EventPublisher {
    private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());

    private final Fanout fanout;
    private final PresenceRegistry presence;

    EventPublisher(Fanout fanout, PresenceRegistry presence) {
        this.fanout = fanout;
        this.presence = presence;
    }

    /**
     * @param fanout   the fan-out
     * @param presence where a joining member's current presence is read
     * @return a publisher
     */
    public static EventPublisher create(Fanout fanout, PresenceRegistry presence) {
        return new EventPublisher(fanout, presence);
    }

    /**
     * Publishes a stored event.
     *
     * @param event the event
     */
    public void published(RoomEvent event) {
        Signal.Durable signal = new Signal.Durable(event);
        fanout.publish(Topic.room(event.room()), signal);
        switch (event) {
            case RoomEvent.MemberJoined joined -> {
                fanout.publish(Topic.user(joined.user()), signal);
                announcePresence(joined);
            }
            case RoomEvent.MemberLeft left -> fanout.publish(Topic.user(left.user()), signal);
            default -> {
            }
        }
    }

    private void announcePresence(RoomEvent.MemberJoined joined) {
        Presence current;
        try {
            current = presence.presenceOf(List.of(joined.user())).getFirst();
        } catch (RuntimeException e) {
            // The join is stored and published; only this announcement is lost (presence is never replayed,
            // and the room's presence list still tells).
            LOG.log(System.Logger.Level.WARNING, "presence of a joining member not announced: " + e.getMessage());
            return;
        }
        if (current.status() != PresenceStatus.OFFLINE) {
            fanout.publish(Topic.room(joined.room()), new Signal.PresenceChanged(joined.room(), current));
        }
    }
}
