package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.PresenceRegistry;

import java.time.Duration;

/** Creates a {@link PresenceRegistry} that knows the sessions of this JVM only. */
public final class InMemoryPresenceRegistry {
    private InMemoryPresenceRegistry() {
    }

    /**
     * A thread-safe registry of each user's sessions and their statuses. A user stays in it after their last
     * session closed, so that their last-seen time is kept: for 30 days, and for the 100,000 users who went
     * offline most recently (a user forgotten reads as never seen).
     *
     * @return a new registry in which every user is offline
     */
    public static PresenceRegistry create() {
        return new LocalPresenceRegistry(LocalPresenceRegistry.MAX_OFFLINE, LocalPresenceRegistry.KEEP_OFFLINE);
    }

    /**
     * @param maxOffline  offline users whose last-seen time is kept at most
     * @param keepOffline how long it is kept
     * @return a new registry in which every user is offline
     */
    public static PresenceRegistry create(int maxOffline, Duration keepOffline) {
        if (maxOffline < 0) {
            throw new IllegalArgumentException("maxOffline must not be negative");
        }
        return new LocalPresenceRegistry(maxOffline, keepOffline);
    }
}
