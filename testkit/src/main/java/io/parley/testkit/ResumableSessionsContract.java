package io.parley.testkit;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.application.port.out.ResumableSessions;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of the {@link ResumableSessions} port. Extend it in a JUnit 5 test and implement
 * {@link #newSessions()}. Session, user and room ids are unique per test, so one store shared by all tests
 * works; times are whole seconds, so any timestamp precision down to a second keeps them exact.
 */
public abstract class ResumableSessionsContract {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private final String scope = UUID.randomUUID().toString().substring(0, 8);
    private ResumableSessions sessions;

    /** For subclasses. */
    protected ResumableSessionsContract() {
    }

    /**
     * Called before every test.
     *
     * @return the store under test
     */
    protected abstract ResumableSessions newSessions();

    /** Opens the store of one test. */
    @BeforeEach
    protected final void openSessions() {
        sessions = newSessions();
    }

    @Test
    void a_created_session_is_found_as_it_was_stored() {
        ResumableSession created = ResumableSession.open(id("s1"), user("alice"), T0, T0.plusSeconds(600));

        sessions.create(created);

        assertEquals(Optional.of(created), sessions.find(id("s1")));
        assertEquals(Optional.empty(), sessions.find(id("unknown")));
    }

    @Test
    void creating_an_id_that_exists_is_a_conflict_and_keeps_the_first() {
        ResumableSession first = ResumableSession.open(id("s1"), user("alice"), T0, T0.plusSeconds(600));
        sessions.create(first);

        ParleyException e = assertThrows(ParleyException.class, () -> sessions.create(
                ResumableSession.open(id("s1"), user("bob"), T0, T0.plusSeconds(600))));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals(Optional.of(first), sessions.find(id("s1")));
    }

    @Test
    void subscriptions_exclusions_and_liveness_survive_a_round_trip_exactly() {
        sessions.create(ResumableSession.open(id("s1"), user("alice"), T0, T0.plusSeconds(600)));
        Map<RoomId, Subscription> subscriptions = Map.of(
                room("general"), Subscription.from(1, 0),
                room("paused"), new Subscription(2, 10, OptionalLong.of(510), false),
                room("left"), new Subscription(3, 7, OptionalLong.of(9), true),
                room("ünïcødé ✓"), Subscription.from(4, Long.MAX_VALUE / 2));

        Optional<ResumableSession> updated = sessions.update(id("s1"), s -> s
                .withSubscriptions(true, subscriptions, Set.of(room("muted")))
                .withLiveness(Optional.of("node-7"), T0.plusSeconds(25), T0.plusSeconds(625)));

        ResumableSession expected = new ResumableSession(id("s1"), user("alice"), true, subscriptions,
                Set.of(room("muted")), Optional.of("node-7"), T0.plusSeconds(25), T0.plusSeconds(625), 1);
        assertEquals(Optional.of(expected), updated);
        assertEquals(Optional.of(expected), sessions.find(id("s1")));
    }

    @Test
    void each_update_applies_to_the_current_record_and_increments_the_revision() {
        sessions.create(ResumableSession.open(id("s1"), user("alice"), T0, T0.plusSeconds(600)));

        sessions.update(id("s1"), s -> withRoom(s, "a"));
        ResumableSession second = sessions.update(id("s1"), s -> withRoom(s, "b")).orElseThrow();

        assertEquals(2, second.revision());
        assertEquals(Set.of(room("a"), room("b")), second.subscriptions().keySet());
        assertEquals(second, sessions.find(id("s1")).orElseThrow());
    }

    @Test
    void updating_an_unknown_session_stores_nothing() {
        assertEquals(Optional.empty(), sessions.update(id("nobody"), s -> withRoom(s, "a")));
        assertEquals(Optional.empty(), sessions.find(id("nobody")));
    }

    @Test
    void concurrent_updates_of_one_session_lose_nothing() {
        sessions.create(ResumableSession.open(id("s1"), user("alice"), T0, T0.plusSeconds(600)));
        int writers = 8;
        int perWriter = 40;
        List<Callable<Void>> tasks = IntStream.range(0, writers).<Callable<Void>>mapToObj(w -> () -> {
            for (int i = 0; i < perWriter; i++) {
                String name = "w" + w + "-" + i;
                sessions.update(id("s1"), s -> withRoom(s, name));
            }
            return null;
        }).toList();

        Concurrently.run(tasks, Duration.ofMinutes(1));

        ResumableSession result = sessions.find(id("s1")).orElseThrow();
        assertEquals(writers * perWriter, result.subscriptions().size());
        assertEquals(writers * perWriter, result.revision());
    }

    @Test
    void expired_records_are_still_found_until_removed_and_only_expired_idle_ones_are_removed() {
        sessions.create(ResumableSession.open(id("old"), user("alice"), T0, T0.plusSeconds(60)));
        sessions.create(ResumableSession.open(id("fresh"), user("alice"), T0, T0.plusSeconds(6000)));
        sessions.create(ResumableSession.open(id("old-but-live"), user("alice"), T0, T0.plusSeconds(60)));
        sessions.update(id("old-but-live"), s -> s.withLiveness(Optional.of("node-1"), T0, T0.plusSeconds(60)));
        Instant later = T0.plusSeconds(120);

        assertTrue(sessions.find(id("old")).orElseThrow().expired(later), "found, and expired");
        assertTrue(sessions.removeExpired(later) >= 1);

        assertEquals(Optional.empty(), sessions.find(id("old")));
        assertTrue(sessions.find(id("fresh")).isPresent());
        assertTrue(sessions.find(id("old-but-live")).isPresent(), "a live record waits for its presence to end");
    }

    @Test
    void silent_lists_live_sessions_not_seen_since_a_time_oldest_first() {
        open("quiet-long", T0, true);
        open("quiet", T0.plusSeconds(10), true);
        open("recent", T0.plusSeconds(100), true);
        open("not-live", T0, false);

        List<String> silent = sessions.silent(T0.plusSeconds(50), 1000).stream()
                .map(ResumableSession::id)
                .filter(id -> id.endsWith(scope))
                .toList();

        assertEquals(List.of(id("quiet-long"), id("quiet")), silent);
        assertEquals(1, sessions.silent(T0.plusSeconds(50), 1).size(), "the limit is kept");
    }

    @Test
    void of_user_lists_that_users_unexpired_sessions_least_recently_seen_first() {
        open("b-seen-late", T0.plusSeconds(30), true);
        open("a-seen-early", T0.plusSeconds(10), false);
        open("c-seen-early-too", T0.plusSeconds(10), false);
        sessions.create(ResumableSession.open(id("expired"), user("alice"), T0, T0.plusSeconds(60)));
        sessions.create(ResumableSession.open(id("bobs"), user("bob"), T0, T0.plusSeconds(6000)));

        List<String> alices = sessions.ofUser(user("alice"), T0.plusSeconds(120)).stream()
                .map(ResumableSession::id).toList();

        assertEquals(List.of(id("a-seen-early"), id("c-seen-early-too"), id("b-seen-late")), alices);
        assertEquals(List.of(id("bobs")), sessions.ofUser(user("bob"), T0).stream().map(ResumableSession::id).toList());
        assertEquals(List.of(), sessions.ofUser(user("carol"), T0));
        assertEquals(4, sessions.ofUser(user("alice"), T0).size(), "at T0 none has expired");
        sessions.removeExpired(T0.plusSeconds(120));
        assertEquals(3, sessions.ofUser(user("alice"), T0).size(), "a removed record is not listed any more");
    }

    private void open(String name, Instant seenUntil, boolean live) {
        sessions.create(ResumableSession.open(id(name), user("alice"), T0, T0.plusSeconds(6000)));
        sessions.update(id(name), s -> s.withLiveness(live ? Optional.of("node-1") : Optional.empty(), seenUntil,
                s.expiresAt()));
    }

    private ResumableSession withRoom(ResumableSession session, String name) {
        Map<RoomId, Subscription> subscriptions = new HashMap<>(session.subscriptions());
        subscriptions.put(room(name), Subscription.from(session.revision() + 1, 0));
        return session.withSubscriptions(session.inbox(), subscriptions, session.excluded());
    }

    private String id(String name) {
        return name + "." + scope;
    }

    private UserId user(String name) {
        return UserId.of(name + "." + scope);
    }

    private RoomId room(String name) {
        return RoomId.of(name + "." + scope);
    }
}
