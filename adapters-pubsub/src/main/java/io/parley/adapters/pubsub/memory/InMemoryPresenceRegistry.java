package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.PresenceRegistry;

/** Creates a {@link PresenceRegistry} that knows the sessions of this JVM only. */
public final class InMemoryPresenceRegistry {
    private InMemoryPresenceRegistry() {
    }

    /**
     * A thread-safe registry of each user's sessions and their statuses. A user stays in it after their last
     * session closed, so that their last-seen time is kept.
     *
     * @return a new registry in which every user is offline
     */
    public static PresenceRegistry create() {
        return new LocalPresenceRegistry();
    }
}
