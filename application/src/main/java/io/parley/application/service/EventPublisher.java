package io.parley.application.service;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomEvent;

/**
 * Publishes stored events: on the room's topic, and membership changes also on the member's own topic
 * (so their inbox sessions start or stop following the room).
 */
public final class EventPublisher {
    private final Fanout fanout;

    EventPublisher(Fanout fanout) {
        this.fanout = fanout;
    }

    /**
     * @param fanout the fan-out
     * @return a publisher
     */
    public static EventPublisher create(Fanout fanout) {
        return new EventPublisher(fanout);
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
            case RoomEvent.MemberJoined joined -> fanout.publish(Topic.user(joined.user()), signal);
            case RoomEvent.MemberLeft left -> fanout.publish(Topic.user(left.user()), signal);
            default -> {
            }
        }
    }
}
