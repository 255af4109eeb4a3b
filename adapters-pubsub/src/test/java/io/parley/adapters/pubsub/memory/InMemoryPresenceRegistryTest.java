package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.domain.Presence;
import io.parley.domain.PresenceStatus;
import io.parley.domain.UserId;
import io.parley.testkit.PresenceRegistryContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-memory presence registry keeps the presence contract, and forgets offline users within bounds. */
class InMemoryPresenceRegistryTest extends PresenceRegistryContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    protected PresenceRegistry newRegistry() {
        return InMemoryPresenceRegistry.create();
    }

    @Test
    void beyond_the_most_offline_users_remembered_the_ones_offline_longest_read_as_never_seen() {
        PresenceRegistry registry = InMemoryPresenceRegistry.create(3, Duration.ofDays(30));
        for (int i = 0; i < 5; i++) {
            UserId user = UserId.of("u" + i);
            registry.sessionOpened(user, "s" + i, T0.plusSeconds(i));
            registry.sessionClosed(user, "s" + i, T0.plusSeconds(i));
        }

        List<Presence> seen = registry.presenceOf(List.of(UserId.of("u0"), UserId.of("u1"), UserId.of("u2"),
                UserId.of("u3"), UserId.of("u4")));

        assertEquals(List.of(Instant.EPOCH, Instant.EPOCH, T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4)),
                seen.stream().map(Presence::lastSeen).toList());
    }

    @Test
    void online_users_are_never_forgotten_and_a_user_who_came_back_keeps_the_newer_last_seen() {
        PresenceRegistry registry = InMemoryPresenceRegistry.create(1, Duration.ofDays(30));
        UserId online = UserId.of("online");
        UserId back = UserId.of("back");
        registry.sessionOpened(online, "o", T0);
        registry.sessionOpened(back, "b1", T0);
        registry.sessionClosed(back, "b1", T0.plusSeconds(1));
        registry.sessionOpened(back, "b2", T0.plusSeconds(2));
        registry.sessionClosed(back, "b2", T0.plusSeconds(3));
        for (int i = 0; i < 3; i++) { // others going offline push the stale entries of "back" out
            registry.sessionOpened(UserId.of("x" + i), "x", T0.plusSeconds(4));
            registry.sessionClosed(UserId.of("x" + i), "x", T0.plusSeconds(4));
        }

        Presence stillOnline = registry.presenceOf(List.of(online)).getFirst();
        assertEquals(PresenceStatus.ONLINE, stillOnline.status());
        assertEquals(T0, stillOnline.lastSeen());
        assertEquals(Instant.EPOCH, registry.presenceOf(List.of(back)).getFirst().lastSeen());
        assertEquals(T0.plusSeconds(4), registry.presenceOf(List.of(UserId.of("x2"))).getFirst().lastSeen());
    }

    @Test
    void an_offline_user_is_forgotten_after_the_time_kept() {
        PresenceRegistry registry = InMemoryPresenceRegistry.create(100, Duration.ofDays(30));
        UserId gone = UserId.of("gone");
        UserId recent = UserId.of("recent");
        registry.sessionOpened(gone, "g", T0);
        registry.sessionClosed(gone, "g", T0);
        registry.sessionOpened(recent, "r", T0.plus(Duration.ofDays(29)));
        registry.sessionClosed(recent, "r", T0.plus(Duration.ofDays(29)));
        assertEquals(T0, registry.presenceOf(List.of(gone)).getFirst().lastSeen());

        registry.sessionOpened(UserId.of("later"), "l", T0.plus(Duration.ofDays(30)).plusSeconds(1));

        assertEquals(Instant.EPOCH, registry.presenceOf(List.of(gone)).getFirst().lastSeen());
        assertEquals(T0.plus(Duration.ofDays(29)), registry.presenceOf(List.of(recent)).getFirst().lastSeen());
    }
}
