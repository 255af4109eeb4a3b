package io.parley.testkit;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import static io.parley.domain.PresenceStatus.AWAY;
import static io.parley.domain.PresenceStatus.OFFLINE;
import static io.parley.domain.PresenceStatus.ONLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of the {@link PresenceRegistry} port. Extend it in a JUnit 5 test and implement
 * {@link #newRegistry()}. User and session ids are unique per test, so a registry shared between tests works.
 */
public abstract class PresenceRegistryContract {
    private static final Instant T1 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T1.plusSeconds(120);
    private static final Instant T4 = T1.plusSeconds(180);

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private PresenceRegistry registry;

    /** For subclasses. */
    protected PresenceRegistryContract() {
    }

    /**
     * Called before every test.
     *
     * @return the registry under test
     */
    protected abstract PresenceRegistry newRegistry();

    /** Opens the registry of one test. */
    @BeforeEach
    protected final void openRegistry() {
        registry = newRegistry();
    }

    @Test
    void the_first_session_makes_the_user_online() {
        UserId alice = user("alice");

        assertEquals(announced(alice, ONLINE, T1), registry.sessionOpened(alice, session("phone"), T1));
        assertEquals(List.of(new Presence(alice, ONLINE, T1)), registry.presenceOf(List.of(alice)));
    }

    @Test
    void a_second_session_announces_nothing() {
        UserId alice = user("alice");
        registry.sessionOpened(alice, session("phone"), T1);

        assertEquals(Optional.empty(), registry.sessionOpened(alice, session("laptop"), T2));
        assertEquals(List.of(new Presence(alice, ONLINE, T1)), registry.presenceOf(List.of(alice)));
    }

    @Test
    void away_on_one_of_two_sessions_keeps_the_user_online() {
        UserId alice = user("alice");
        registry.sessionOpened(alice, session("phone"), T1);
        registry.sessionOpened(alice, session("laptop"), T1);

        assertEquals(Optional.empty(), registry.statusSet(alice, session("phone"), AWAY, T2));
        assertEquals(ONLINE, statusOf(alice));
    }

    @Test
    void away_on_every_session_makes_the_user_away_and_back_online_is_announced() {
        UserId alice = user("alice");
        registry.sessionOpened(alice, session("phone"), T1);
        registry.sessionOpened(alice, session("laptop"), T1);
        registry.statusSet(alice, session("phone"), AWAY, T2);

        assertEquals(announced(alice, AWAY, T3), registry.statusSet(alice, session("laptop"), AWAY, T3));
        assertEquals(List.of(new Presence(alice, AWAY, T3)), registry.presenceOf(List.of(alice)));
        assertEquals(announced(alice, ONLINE, T4), registry.statusSet(alice, session("phone"), ONLINE, T4));
    }

    @Test
    void closing_the_last_session_makes_the_user_offline_last_seen_at_the_close() {
        UserId alice = user("alice");
        registry.sessionOpened(alice, session("phone"), T1);
        registry.sessionOpened(alice, session("laptop"), T1);

        assertEquals(Optional.empty(), registry.sessionClosed(alice, session("phone"), T2));
        assertEquals(ONLINE, statusOf(alice));
        assertEquals(announced(alice, OFFLINE, T3), registry.sessionClosed(alice, session("laptop"), T3));
        assertEquals(List.of(new Presence(alice, OFFLINE, T3)), registry.presenceOf(List.of(alice)));
    }

    @Test
    void closing_the_only_online_session_leaves_the_user_away() {
        UserId alice = user("alice");
        registry.sessionOpened(alice, session("phone"), T1);
        registry.sessionOpened(alice, session("laptop"), T1);
        registry.statusSet(alice, session("phone"), AWAY, T2);

        assertEquals(announced(alice, AWAY, T3), registry.sessionClosed(alice, session("laptop"), T3));
    }

    @Test
    void calls_for_an_unknown_session_are_harmless() {
        UserId alice = user("alice");
        UserId bob = user("bob");
        registry.sessionOpened(alice, session("phone"), T1);

        assertEquals(Optional.empty(), registry.sessionClosed(alice, session("unknown"), T2));
        assertEquals(Optional.empty(), registry.statusSet(alice, session("unknown"), AWAY, T2));
        assertEquals(Optional.empty(), registry.sessionClosed(bob, session("unknown"), T2));
        assertEquals(Optional.empty(), registry.statusSet(bob, session("unknown"), ONLINE, T2));

        assertEquals(List.of(new Presence(alice, ONLINE, T1), Presence.neverSeen(bob)),
                registry.presenceOf(List.of(alice, bob)));
    }

    @Test
    void presence_of_never_seen_users_is_offline_since_the_epoch_in_the_order_asked() {
        UserId alice = user("alice");
        UserId bob = user("bob");
        UserId carol = user("carol");
        registry.sessionOpened(bob, session("phone"), T1);

        assertEquals(List.of(Presence.neverSeen(carol), new Presence(bob, ONLINE, T1), Presence.neverSeen(alice)),
                registry.presenceOf(List.of(carol, bob, alice)));
        assertEquals(List.of(), registry.presenceOf(List.of()));
    }

    @Test
    void users_do_not_affect_each_other() {
        UserId alice = user("alice");
        UserId bob = user("bob");
        registry.sessionOpened(alice, session("shared-name"), T1);

        assertEquals(announced(bob, ONLINE, T2), registry.sessionOpened(bob, session("bob-phone"), T2));
        assertEquals(announced(bob, OFFLINE, T3), registry.sessionClosed(bob, session("bob-phone"), T3));
        assertEquals(ONLINE, statusOf(alice));
    }

    @Test
    void concurrent_sessions_of_one_user_announce_online_and_offline_alternately() {
        UserId alice = user("alice");
        List<Callable<List<PresenceStatus>>> devices = IntStream.range(0, 8)
                .<Callable<List<PresenceStatus>>>mapToObj(d -> () -> {
                    List<PresenceStatus> changes = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        String session = session("device" + d + "-" + i);
                        registry.sessionOpened(alice, session, T1).ifPresent(p -> changes.add(p.status()));
                        registry.sessionClosed(alice, session, T2).ifPresent(p -> changes.add(p.status()));
                    }
                    return changes;
                }).toList();

        List<PresenceStatus> changes = Concurrently.run(devices, Duration.ofMinutes(1)).stream()
                .flatMap(List::stream).toList();

        // Each announcement is a transition, so from offline back to offline they must pair up.
        long online = changes.stream().filter(ONLINE::equals).count();
        assertTrue(online > 0, "the user came online at least once");
        assertEquals(online, changes.stream().filter(OFFLINE::equals).count(), changes::toString);
        assertEquals(OFFLINE, statusOf(alice));
    }

    private UserId user(String name) {
        return UserId.of(name + "." + scope);
    }

    private String session(String name) {
        return name + "." + scope;
    }

    private PresenceStatus statusOf(UserId user) {
        return registry.presenceOf(List.of(user)).getFirst().status();
    }

    private static Optional<Presence> announced(UserId user, PresenceStatus status, Instant at) {
        return Optional.of(new Presence(user, status, at));
    }
}
