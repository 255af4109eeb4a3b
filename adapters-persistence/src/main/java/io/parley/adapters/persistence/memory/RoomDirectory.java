package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All rooms by id, the rooms of each user, and the messages posted with a client id. Each room's state sits
 * behind its own lock; the user index is updated under the lock of the room whose membership changed,
 * before the append returns, so membership reads see every append that returned before them.
 *
 * <p>A client id is its author's in every room (protocol v1: the same (author, client id) is stored once),
 * so a post with one first takes the lock of its key's stripe, then its room's lock, and holds at most one
 * room lock at a time: retries of one key are decided one after the other, whatever rooms they name, and
 * no two locks are ever taken in opposite orders.
 */
final class RoomDirectory implements Rooms, RoomLog {
    /** Locks for client ids: posts of different keys rarely wait for each other, and never for long. */
    private static final int CLIENT_ID_STRIPES = 64;

    private final Map<RoomId, RoomState> rooms = new ConcurrentHashMap<>();
    /** The rooms of each user, in joining order; each set guards itself. */
    private final Map<UserId, Set<RoomId>> roomsByUser = new ConcurrentHashMap<>();
    /** Display names as the users' tokens last gave them. */
    private final Map<UserId, String> names = new ConcurrentHashMap<>();
    /** Where each (author, client id) was first posted; written under the key's stripe lock. */
    private final Map<ClientKey, PostedAt> postedByClientId = new ConcurrentHashMap<>();
    private final ReentrantLock[] clientIdStripes = new ReentrantLock[CLIENT_ID_STRIPES];

    RoomDirectory() {
        for (int i = 0; i < clientIdStripes.length; i++) {
            clientIdStripes[i] = new ReentrantLock();
        }
    }

    @Override
    public List<RoomEvent.MemberJoined> create(Room room, List<UserId> members) {
        if (new HashSet<>(members).size() != members.size()) {
            throw ParleyException.invalid("initial members must not repeat");
        }
        RoomState state = new RoomState(room);
        // Locked before it is published, so nobody sees the room without its members.
        return state.locked(() -> {
            if (rooms.putIfAbsent(room.id(), state) != null) {
                throw new ParleyException(ErrorCode.CONFLICT, "room " + room.id() + " exists already");
            }
            List<RoomEvent.MemberJoined> joined = new ArrayList<>();
            for (UserId member : members) {
                EventDraft.Join join = new EventDraft.Join(room.id(), member, room.createdAt());
                if (applyLocked(state, join) instanceof AppendOutcome.Appended(RoomEvent.MemberJoined event)) {
                    joined.add(event);
                }
            }
            return List.copyOf(joined);
        });
    }

    /** @return every room's latest seq */
    Map<RoomId, Long> lastSeqs() {
        Map<RoomId, Long> last = new HashMap<>();
        rooms.forEach((id, s) -> last.put(id, s.locked(s::lastSeq)));
        return last;
    }

    @Override
    public Optional<Room> find(RoomId id) {
        return state(id).map(s -> s.locked(s::room));
    }

    @Override
    public Optional<RoomEvent.RoomDeleted> delete(RoomId id, UserId by, Instant at) {
        RoomState state = rooms.get(id);
        if (state == null) {
            return Optional.empty();
        }
        return state.locked(() -> {
            if (state.deleted() || state.room().direct().isPresent()) {
                return Optional.empty();
            }
            List<UserId> members = List.copyOf(state.members());
            RoomEvent.RoomDeleted gone = state.delete(by, at);
            members.forEach(member -> indexOf(member).remove(id));
            postedByClientId.values().removeIf(posted -> posted.room().equals(id));
            return Optional.of(gone);
        });
    }

    @Override
    public boolean isMember(RoomId room, UserId user) {
        return state(room).map(s -> s.locked(() -> s.isMember(user))).orElse(false);
    }

    @Override
    public void rememberName(User user) {
        names.put(user.id(), user.displayName());
    }

    @Override
    public Map<UserId, String> namesOf(Collection<UserId> users) {
        Map<UserId, String> found = new HashMap<>();
        for (UserId user : users) {
            String name = names.get(user);
            if (name != null) {
                found.put(user, name);
            }
        }
        return found;
    }

    @Override
    public Optional<Role> roleOf(RoomId room, UserId user) {
        return state(room).flatMap(s -> s.locked(() -> s.roleOf(user)));
    }

    @Override
    public List<Member> membersWithRoles(RoomId room) {
        return state(room).map(s -> s.locked(s::membersWithRoles)).orElse(List.of());
    }

    @Override
    public boolean isBanned(RoomId room, UserId user) {
        return state(room).map(s -> s.locked(() -> s.isBanned(user))).orElse(false);
    }

    @Override
    public List<UserId> banned(RoomId room) {
        return state(room).map(s -> s.locked(s::banned)).orElse(List.of());
    }

    @Override
    public List<UserId> members(RoomId room) {
        return state(room).map(s -> s.locked(s::members)).orElse(List.of());
    }

    @Override
    public List<RoomId> roomsOf(UserId user) {
        Set<RoomId> ids = roomsByUser.get(user);
        if (ids == null) {
            return List.of();
        }
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    @Override
    public Map<RoomId, Long> lastSeqsOf(UserId user) {
        Map<RoomId, Long> last = new HashMap<>();
        for (RoomId id : roomsOf(user)) {
            state(id).ifPresent(s -> last.put(id, s.locked(s::lastSeq)));
        }
        return last;
    }

    /** A scan of every room: fine for a store that holds a deployment's tests. */
    @Override
    public DirectoryQuery.Page directory(DirectoryQuery query) {
        record Listed(Room room, long lastSeq, int members) {
        }
        List<Listed> open = new ArrayList<>();
        for (RoomState state : rooms.values()) {
            if (state.deleted()) {
                continue;
            }
            state.locked(() -> open.add(new Listed(state.room(), state.lastSeq(), state.members().size())));
        }
        List<DirectoryQuery.Entry> page = open.stream()
                .filter(l -> query.lists(l.room()) && query.after().map(p -> p.precedes(l.room())).orElse(true))
                .sorted(Comparator.comparing((Listed l) -> DirectoryQuery.sortKey(l.room().name()))
                        .thenComparing(l -> l.room().id().value()))
                .limit(query.limit() + 1L)
                .map(l -> new DirectoryQuery.Entry(l.room(), l.lastSeq(), l.members()))
                .toList();
        return DirectoryQuery.Page.of(page, query.limit());
    }

    /** Sorts the user's rooms by activity without counting anything; unread counts only for the page. */
    @Override
    public RoomListPage summariesOf(UserId user, RoomListQuery query) {
        record Active(RoomState state, RoomSummary position) {
        }
        List<Active> active = new ArrayList<>();
        for (RoomId id : roomsOf(user)) {
            state(id).ifPresent(s -> active.add(new Active(s, s.locked(() -> s.positionOf(user)))));
        }
        List<RoomSummary> page = active.stream()
                .filter(a -> query.after().map(p -> p.precedes(a.position())).orElse(true))
                .sorted(Comparator.comparing((Active a) -> a.position().lastEventAt()).reversed()
                        .thenComparing(a -> a.position().room().id().value()))
                .limit(query.limit() + 1L)
                .map(a -> a.state().locked(() -> a.state().summaryFor(user)))
                .toList();
        return RoomListPage.of(page, query.limit());
    }

    @Override
    public AppendOutcome append(EventDraft draft) {
        RoomState state = state(draft.room())
                .orElseThrow(() -> ParleyException.notFound("room " + draft.room() + " does not exist"));
        if (draft instanceof EventDraft.Post post && post.clientId().isPresent()) {
            return postOnce(state, post, new ClientKey(post.author().id(), post.clientId().get()));
        }
        return state.locked(() -> applyLocked(state, draft));
    }

    /** Posts unless the author used the client id before, in any room; then returns that message. */
    private AppendOutcome postOnce(RoomState state, EventDraft.Post post, ClientKey key) {
        ReentrantLock stripe = clientIdStripes[Math.floorMod(key.hashCode(), clientIdStripes.length)];
        stripe.lock();
        try {
            PostedAt original = postedByClientId.get(key);
            if (original != null) {
                RoomState home = rooms.get(original.room());
                Optional<Message> current = home.locked(() -> home.message(original.message()));
                if (current.isPresent()) {
                    return new AppendOutcome.AlreadyPosted(current.get());
                }
                // its room was deleted, and the message with it: the client id is free again
            }
            AppendOutcome outcome = state.locked(() -> applyLocked(state, post));
            if (outcome instanceof AppendOutcome.Appended(RoomEvent.MessagePosted(Message message))) {
                postedByClientId.put(key, new PostedAt(message.room(), message.id()));
            }
            return outcome;
        } finally {
            stripe.unlock();
        }
    }

    @Override
    public Optional<Message> message(RoomId room, MessageId messageId) {
        return state(room).flatMap(s -> s.locked(() -> s.message(messageId)));
    }

    @Override
    public HistoryPage history(RoomId room, HistoryQuery query) {
        return state(room).map(s -> s.locked(() -> s.history(query))).orElse(new HistoryPage(List.of(), false));
    }

    @Override
    public Map<MessageId, Set<String>> reactedBy(RoomId room, UserId reader, Collection<MessageId> messages) {
        return state(room).map(s -> s.locked(() -> s.reactedBy(reader, messages))).orElse(Map.of());
    }

    /** A scan of every message of the reader's rooms: fine for a store that holds a deployment's tests. */
    @Override
    public SearchPage search(UserId reader, SearchQuery query) {
        List<Message> found = new ArrayList<>();
        for (RoomId id : roomsOf(reader)) {
            state(id).ifPresent(s -> s.locked(() -> found.addAll(s.search(query))));
        }
        found.sort(Comparator.comparing(SearchQuery.Position::of, SearchQuery.ORDER));
        return SearchPage.of(found.subList(0, Math.min(found.size(), query.limit() + 1)), query.limit());
    }

    @Override
    public List<RoomEvent> eventsAfter(RoomId room, long after, int limit) {
        // a deleted room's last event too, for the listeners that have not seen it
        return Optional.ofNullable(rooms.get(room)).map(s -> s.locked(() -> s.eventsAfter(after, limit)))
                .orElse(List.of());
    }

    @Override
    public long lastSeq(RoomId room) {
        return Optional.ofNullable(rooms.get(room)).map(s -> s.locked(s::lastSeq)).orElse(0L);
    }

    /** @return the room's state, unless there is none or the room was deleted */
    private Optional<RoomState> state(RoomId id) {
        return Optional.ofNullable(rooms.get(id)).filter(s -> !s.deleted());
    }

    /** Applies a draft and indexes a membership change; the caller holds the room's lock. */
    private AppendOutcome applyLocked(RoomState state, EventDraft draft) {
        AppendOutcome outcome = state.apply(draft);
        if (outcome instanceof AppendOutcome.Appended(RoomEvent event)) {
            switch (event) {
                case RoomEvent.MemberJoined joined -> indexOf(joined.user()).add(joined.room());
                case RoomEvent.MemberLeft left -> indexOf(left.user()).remove(left.room());
                case RoomEvent.MemberBanned banned -> indexOf(banned.user()).remove(banned.room());
                default -> {
                }
            }
        }
        return outcome;
    }

    private Set<RoomId> indexOf(UserId user) {
        // one per user: sized for the few rooms most users are in, not the default sixteen
        return roomsByUser.computeIfAbsent(user, u -> Collections.synchronizedSet(new LinkedHashSet<>(4)));
    }

    /** The idempotency key of a post: the same client id from another author is another key. */
    private record ClientKey(UserId author, String clientId) {
    }

    /** Where a message was posted. */
    private record PostedAt(RoomId room, MessageId message) {
    }
}
