package io.parley.testkit;

import io.parley.application.port.out.ConnectTickets;
import io.parley.application.port.out.TokenVerifier.VerifiedToken;
import io.parley.domain.User;
import io.parley.domain.UserId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of the {@link ConnectTickets} port. Extend it in a JUnit 5 test and implement
 * {@link #newTickets()}; {@link #otherNode()} may return a second store over the same shared state (another
 * node), which the concurrent redemption then uses too. Ids are unique per test; times are whole seconds.
 */
public abstract class ConnectTicketsContract {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private ConnectTickets tickets;

    /** For subclasses. */
    protected ConnectTicketsContract() {
    }

    /** @return the store under test, called before every test */
    protected abstract ConnectTickets newTickets();

    /** @return a store over the same state as another node would have it; by default the same store */
    protected ConnectTickets otherNode() {
        return tickets;
    }

    /** Opens the store of one test. */
    @BeforeEach
    protected final void openTickets() {
        tickets = newTickets();
    }

    private String id(String name) {
        return scope + "-" + name;
    }

    private VerifiedToken token(String user, Instant expiresAt) {
        return new VerifiedToken(new User(UserId.of(scope + user), "Ann Ö. " + user), expiresAt);
    }

    @Test
    void a_ticket_is_redeemed_once_for_the_token_it_was_issued_for() {
        VerifiedToken token = token("ann", T0.plusSeconds(3600));
        tickets.store(id("t1"), token, T0, T0.plusSeconds(30));

        assertEquals(Optional.of(token), otherNode().take(id("t1"), T0.plusSeconds(29)));
        assertEquals(Optional.empty(), tickets.take(id("t1"), T0.plusSeconds(29)), "single use");
    }

    @Test
    void a_ticket_remembers_when_its_token_was_issued() {
        VerifiedToken token = new VerifiedToken(new User(UserId.of(scope + "eve"), "Eve"), T0.plusSeconds(3600),
                T0.minusSeconds(60));
        tickets.store(id("t4"), token, T0, T0.plusSeconds(30));

        assertEquals(Optional.of(token), otherNode().take(id("t4"), T0.plusSeconds(1)));
    }

    @Test
    void a_token_without_expiry_stays_without_expiry() {
        VerifiedToken token = token("bob", Instant.MAX);
        tickets.store(id("t2"), token, T0, T0.plusSeconds(30));

        assertEquals(Optional.of(token), tickets.take(id("t2"), T0.plusSeconds(1)));
    }

    @Test
    void an_expired_or_unknown_ticket_is_not_redeemed() {
        tickets.store(id("t3"), token("cid", T0.plusSeconds(3600)), T0, T0.plusSeconds(30));

        assertEquals(Optional.empty(), tickets.take(id("t3"), T0.plusSeconds(30)), "expired at its expiry");
        assertEquals(Optional.empty(), tickets.take(id("never-issued"), T0));
    }

    @Test
    void of_concurrent_redemptions_on_any_node_exactly_one_wins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String ticket = id("race-" + round);
            VerifiedToken token = token("dan", T0.plusSeconds(3600));
            tickets.store(ticket, token, T0, T0.plusSeconds(30));
            List<Callable<Optional<VerifiedToken>>> redeemers = List.of(
                    () -> tickets.take(ticket, T0.plusSeconds(1)), () -> otherNode().take(ticket, T0.plusSeconds(1)),
                    () -> tickets.take(ticket, T0.plusSeconds(1)), () -> otherNode().take(ticket, T0.plusSeconds(1)));
            List<Optional<VerifiedToken>> results = Concurrently.run(redeemers, Duration.ofSeconds(10));
            assertEquals(1, results.stream().filter(Optional::isPresent).count(), "round " + round);
            assertTrue(results.contains(Optional.of(token)));
        }
    }
}
