package io.parley.application.service;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;

import java.util.ArrayList;
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
    private final EventFeeds feeds;

    EventPublisher(Fanout fanout, PresenceRegistry presence, EventFeeds feeds) {
        this.fanout = fanout;
        this.presence = presence;
        this.feeds = feeds;
    }

    /**
     * @param fanout   the fan-out
     * @param presence where a joining member's current presence is read
     * @param feeds    the event listeners, woken for each stored event
     * @return a publisher
     */
    public static EventPublisher create(Fanout fanout, PresenceRegistry presence, EventFeeds feeds) {
        return new EventPublisher(fanout, presence, feeds);
    }

    /**
     * Publishes a stored event.
     *
     * @param event the event as stored, with its room and seq
     */
    public void published(RoomEvent event) {
        publish(event);
        if (event instanceof RoomEvent.MemberJoined joined) {
            announcePresence(List.of(joined));
        }
    }

    /**
     * Publishes stored events of one append in order (a room created with its members), reading the
     * presence of all its joiners at once.
     *
     * @param events the events, in seq order
     */
    public void publishedAll(List<? extends RoomEvent> events) {
        List<RoomEvent.MemberJoined> joins = new ArrayList<>();
        for (RoomEvent event : events) {
            publish(event);
            if (event instanceof RoomEvent.MemberJoined joined) {
                joins.add(joined);
            }
        }
        if (!joins.isEmpty()) {
            announcePresence(joins);
        }
    }

    private void publish(RoomEvent event) {
        Signal.Durable signal = new Signal.Durable(event);
        fanout.publish(Topic.room(event.room()), signal);
        switch (event) {
            case RoomEvent.MemberJoined joined -> fanout.publish(Topic.user(joined.user()), signal);
            case RoomEvent.MemberLeft left -> fanout.publish(Topic.user(left.user()), signal);
            case RoomEvent.MemberBanned banned -> fanout.publish(Topic.user(banned.user()), signal);
            default -> {
            }
        }
        feeds.published(event);
    }

    private void announcePresence(List<RoomEvent.MemberJoined> joins) {
        List<Presence> current;
        try {
            current = presence.presenceOf(joins.stream().map(RoomEvent.MemberJoined::user).toList());
        } catch (RuntimeException e) {
            // The joins are stored and published; only these announcements are lost (presence is never
            // replayed, and the room's presence list still tells).
            LOG.log(System.Logger.Level.WARNING, "presence of joining members not announced: " + e.getMessage());
            return;
        }
        for (int i = 0; i < joins.size(); i++) {
            Presence joiner = current.get(i);
            if (joiner.status() != PresenceStatus.OFFLINE) {
                RoomId room = joins.get(i).room();
                fanout.publish(Topic.room(room), new Signal.PresenceChanged(room, joiner));
            }
        }
    }
}
