package io.parley.testkit;

import io.parley.application.port.out.Revocations;
import io.parley.domain.UserId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The contract of the {@link Revocations} port. Extend it in a JUnit 5 test and implement
 * {@link #newRevocations()}; {@link #otherNode()} may return a second store over the same shared state. User
 * ids are unique per test; times are whole microseconds.
 */
public abstract class RevocationsContract {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00.123456Z");

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private Revocations revocations;

    /** For subclasses. */
    protected RevocationsContract() {
    }

    /** @return the store under test, called before every test */
    protected abstract Revocations newRevocations();

    /** @return a store over the same state as another node would have it; by default the same store */
    protected Revocations otherNode() {
        return revocations;
    }

    /** Opens the store of one test. */
    @BeforeEach
    protected final void openRevocations() {
        revocations = newRevocations();
    }

    private UserId user(String name) {
        return UserId.of(scope + name);
    }

    @Test
    void a_revocation_is_seen_by_every_node() {
        assertFalse(otherNode().all().containsKey(user("ann")));

        assertEquals(T0, revocations.revoke(user("ann"), T0));

        assertEquals(T0, otherNode().all().get(user("ann")));
    }

    @Test
    void a_revocation_never_moves_back() {
        revocations.revoke(user("bob"), T0.plusSeconds(60));

        assertEquals(T0.plusSeconds(60), otherNode().revoke(user("bob"), T0), "an earlier time leaves the later");
        assertEquals(T0.plusSeconds(120), revocations.revoke(user("bob"), T0.plusSeconds(120)), "a later one wins");
        assertEquals(T0.plusSeconds(120), otherNode().all().get(user("bob")));
    }
}
