package io.parley.application.service;

import io.parley.application.port.in.ManageUsers;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Revocations;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Disconnects and revocations. The revocations in force are kept in this node's memory, so checking a token
 * costs a map lookup and no store read: loaded at start, updated by every node's {@link Signal.SessionsEnded}
 * at once, and re-read from the store by {@link #refresh} (the core does every 30 s), which heals a signal
 * the broker lost.
 */
public final class UserService implements ManageUsers {
    private static final System.Logger LOG = System.getLogger(UserService.class.getName());

    private final Revocations store;
    private final Fanout fanout;
    private final Map<UserId, Instant> revoked = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Fanout.Subscription signals;

    private UserService(Revocations store, Fanout fanout) {
        this.store = store;
        this.fanout = fanout;
    }

    /**
     * Subscribes to the nodes' topic and loads the revocations (a store that cannot be read now is read at
     * the next {@link #refresh}).
     *
     * @param store  where revocations are kept
     * @param fanout where the nodes tell each other
     * @return the service
     */
    public static UserService create(Revocations store, Fanout fanout) {
        UserService service = new UserService(store, fanout);
        service.signals = fanout.subscribe(Topic.nodes(), service::onSignal);
        service.refresh();
        return service;
    }

    /**
     * Re-reads the revocations on a virtual thread of its own (the caller is a shared scheduler: a slow store
     * must not delay its other work), unless a re-read is still under way.
     */
    public void refreshInBackground() {
        if (refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("parley-revocations").start(() -> {
                try {
                    refresh();
                } finally {
                    refreshing.set(false);
                }
            });
        }
    }

    /** Stops listening to the other nodes. */
    public void close() {
        signals.close();
    }

    @Override
    public void disconnect(UserId user) {
        fanout.publish(Topic.nodes(), new Signal.SessionsEnded(user, Optional.empty()));
    }

    @Override
    public Instant revoke(UserId user, Instant before) {
        Instant inForce = store.revoke(user, before);
        remember(user, inForce);
        fanout.publish(Topic.nodes(), new Signal.SessionsEnded(user, Optional.of(inForce)));
        return inForce;
    }

    @Override
    public boolean revoked(UserId user, Instant issuedAt) {
        if (revoked.isEmpty()) {
            return false;
        }
        Instant before = revoked.get(user);
        return before != null && issuedAt.isBefore(before);
    }

    @Override
    public void checkNotRevoked(TokenVerifier.VerifiedToken token) {
        if (revoked(token.user().id(), token.issuedAt())) {
            throw new ParleyException(ErrorCode.UNAUTHORIZED, "token revoked: get a new one");
        }
    }

    /** Re-reads the revocations from the store; a store that cannot be read keeps what is known. */
    public void refresh() {
        try {
            store.all().forEach(this::remember);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "revocations not re-read: " + e.getMessage());
        }
    }

    private void onSignal(Signal signal) {
        if (signal instanceof Signal.SessionsEnded(UserId user, Optional<Instant> before) && before.isPresent()) {
            remember(user, before.get());
        }
    }

    private void remember(UserId user, Instant before) {
        revoked.merge(user, before, (old, given) -> given.isAfter(old) ? given : old);
    }
}
