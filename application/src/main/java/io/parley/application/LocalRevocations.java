package io.parley.application;

import io.parley.application.port.out.Revocations;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Revocations} in this node's memory: the default, for one node with the in-memory store (lost on a
 * restart, like everything else that store keeps). Several nodes share the PostgreSQL store's.
 */
public final class LocalRevocations implements Revocations {
    private final Map<UserId, Instant> revoked = new ConcurrentHashMap<>();

    private LocalRevocations() {
    }

    /** @return an empty set of revocations */
    public static LocalRevocations create() {
        return new LocalRevocations();
    }

    @Override
    public Instant revoke(UserId user, Instant before) {
        return revoked.merge(user, before, (old, given) -> given.isAfter(old) ? given : old);
    }

    @Override
    public Map<UserId, Instant> all() {
        return Map.copyOf(revoked);
    }
}
