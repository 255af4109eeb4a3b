package io.parley.adapters.pubsub.redis;

import io.parley.application.port.out.Signal;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps typing indicators of other nodes honest when their node dies. The core announces a start and an end
 * once each; if the typer's node crashes, the end never comes. So the publishing node renews each indicator it
 * started on the broker about once a second ({@link #renewals()}), and a receiving node ends by itself an
 * indicator not renewed within {@link Typing#EXPIRY} ({@link #expired()}). Renewals are internal: a receiver
 * delivers one only when it revives an indicator it had already ended (e.g. after a broker outage).
 */
final class TypingLiveness {
    private final Clock clock;
    /** Indicators this node started and did not end, by channel: renewed on the broker. */
    private final Map<Key, Boolean> started = new ConcurrentHashMap<>();
    /** Indicators started on other nodes, with the time they end unless renewed. */
    private final Map<Key, Instant> remote = new ConcurrentHashMap<>();

    /**
     * @param channel where the indicator travels
     * @param room    the room the user types in
     * @param user    typer
     */
    record Key(String channel, RoomId room, UserId user) {
        Signal.TypingChanged signal(boolean active) {
            return new Signal.TypingChanged(new Typing(room, user, active));
        }
    }

    TypingLiveness(Clock clock) {
        this.clock = clock;
    }

    /** A typing change this node publishes. */
    void published(String channel, Typing typing) {
        Key key = new Key(channel, typing.room(), typing.user());
        if (typing.active()) {
            started.put(key, Boolean.TRUE);
        } else {
            started.remove(key);
        }
    }

    /** @return the indicators this node should renew now */
    List<Key> renewals() {
        return List.copyOf(started.keySet());
    }

    /**
     * A typing change or renewal from another node.
     *
     * @return whether to deliver it to the listeners
     */
    boolean received(String channel, Typing typing, boolean renewal) {
        Key key = new Key(channel, typing.room(), typing.user());
        if (!typing.active()) {
            remote.remove(key);
            return true;
        }
        Instant previous = remote.put(key, clock.instant().plus(Typing.EXPIRY));
        return !renewal || previous == null;
    }

    /** @return the remote indicators whose renewals stopped; they are forgotten */
    List<Key> expired() {
        Instant now = clock.instant();
        List<Key> ended = new ArrayList<>();
        remote.forEach((key, deadline) -> {
            if (!deadline.isAfter(now) && remote.remove(key, deadline)) {
                ended.add(key);
            }
        });
        return ended;
    }

    /** Forgets the remote indicators of a channel this node no longer listens to. */
    void forget(String channel) {
        remote.keySet().removeIf(key -> key.channel().equals(channel));
    }
}
