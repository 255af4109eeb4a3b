package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSessions;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Creates an in-memory {@link ResumableSessions}: for tests, demos and single-node deployments (and for
 * several nodes in one JVM that share the instance). Nothing survives the JVM.
 */
public final class InMemoryResumableSessions {
    private InMemoryResumableSessions() {
    }

    /**
     * A thread-safe store of session records; each update runs its change exactly once, atomically per
     * record.
     *
     * @return a new, empty store
     */
    public static ResumableSessions create() {
        return new Records();
    }

    private static final class Records implements ResumableSessions {
        private final Map<String, ResumableSession> records = new ConcurrentHashMap<>();
        /** Each user's session ids (a record never changes its user); emptied as records are removed. */
        private final Map<UserId, Set<String>> byUser = new ConcurrentHashMap<>();

        @Override
        public void create(ResumableSession session) {
            Objects.requireNonNull(session, "session");
            if (records.putIfAbsent(session.id(), session.withRevision(0)) != null) {
                throw new ParleyException(ErrorCode.CONFLICT, "session " + session.id() + " exists");
            }
            byUser.compute(session.user(), (user, ids) -> {
                Set<String> all = ids == null ? ConcurrentHashMap.newKeySet() : ids;
                all.add(session.id());
                return all;
            });
        }

        @Override
        public List<ResumableSession> ofUser(UserId user, Instant now) {
            Objects.requireNonNull(now, "now");
            Set<String> ids = byUser.getOrDefault(Objects.requireNonNull(user, "user"), Set.of());
            return ids.stream()
                    .map(records::get)
                    .filter(record -> record != null && !record.expired(now))
                    .sorted(Comparator.comparing(ResumableSession::seenUntil).thenComparing(ResumableSession::id))
                    .toList();
        }

        @Override
        public Optional<ResumableSession> find(String id) {
            return Optional.ofNullable(records.get(Objects.requireNonNull(id, "id")));
        }

        @Override
        public Optional<ResumableSession> update(String id, UnaryOperator<ResumableSession> change) {
            Objects.requireNonNull(change, "change");
            return Optional.ofNullable(records.computeIfPresent(Objects.requireNonNull(id, "id"), (key, current) -> {
                ResumableSession next = Objects.requireNonNull(change.apply(current), "changed record");
                if (!next.id().equals(current.id()) || !next.user().equals(current.user())) {
                    throw new IllegalArgumentException("an update must keep the session's id and user");
                }
                return next.withRevision(current.revision() + 1);
            }));
        }

        @Override
        public List<ResumableSession> silent(Instant seenBefore, int limit) {
            Objects.requireNonNull(seenBefore, "seenBefore");
            return records.values().stream()
                    .filter(record -> record.live() && record.seenUntil().isBefore(seenBefore))
                    .sorted(Comparator.comparing(ResumableSession::seenUntil))
                    .limit(limit)
                    .toList();
        }

        @Override
        public int removeExpired(Instant now) {
            Objects.requireNonNull(now, "now");
            int removed = 0;
            for (ResumableSession record : records.values()) {
                // Conditional remove: a record updated meanwhile (used again, made live) stays.
                if (!record.live() && record.expired(now) && records.remove(record.id(), record)) {
                    byUser.computeIfPresent(record.user(), (user, ids) -> {
                        ids.remove(record.id());
                        return ids.isEmpty() ? null : ids;
                    });
                    removed++;
                }
            }
            return removed;
        }
    }
}
