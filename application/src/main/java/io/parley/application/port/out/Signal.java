package io.parley.application.port.out;

import io.parley.domain.Presence;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.Typing;

/** What travels through the {@link Fanout}: a stored room event, or an ephemeral typing or presence change. */
public sealed interface Signal {
    /** @return whether this signal is ephemeral (may be dropped, never replayed) */
    boolean ephemeral();

    /**
     * A durable event, published after it was stored.
     *
     * @param event the event
     */
    record Durable(RoomEvent event) implements Signal {
        @Override
        public boolean ephemeral() {
            return false;
        }
    }

    /**
     * A typing indicator changed.
     *
     * @param typing the indicator
     */
    record TypingChanged(Typing typing) implements Signal {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }

    /**
     * A member's presence changed; published on each room the user belongs to.
     *
     * @param room     the room it was published on
     * @param presence the new presence
     */
    record PresenceChanged(RoomId room, Presence presence) implements Signal {
        @Override
        public boolean ephemeral() {
            return true;
        }
    }
}
