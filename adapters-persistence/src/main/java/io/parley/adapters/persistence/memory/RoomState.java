package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Reaction;
import io.parley.domain.ReplyPreview;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomSummary;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One room's log and the state it produces. Not thread-safe by itself: every method except
 * {@link #locked} must run inside {@link #locked}, which serialises all access to this room (and only
 * this room).
 */
final class RoomState {
    private final ReentrantLock lock = new ReentrantLock();
    private Room room;
    /**
     * Event with seq n at index n - 1: the log is gap-free by construction. A {@code message} event is held as
     * the message's record ({@link MessageRecord}, a {@code byte[]}, shared with {@link #messages} until the
     * message changes) and made when read; every other event as itself. Once the room is deleted, it holds
     * only the room's last event, {@code room_deleted}.
     */
    private final List<Object> events = new ArrayList<>();
    /** Messages in their current state, by seq and by id, for history pages and changes. */
    private final RoomMessages messages;
    /** The seqs of each live message's edit events, to strip their bodies when it is deleted. */
    private final Map<MessageId, List<Long>> editSeqs = new HashMap<>();
    /** Members and their roles, in joining order. */
    private final Map<UserId, Role> members = new LinkedHashMap<>();
    private final Set<UserId> banned = new LinkedHashSet<>();
    /** Each live message's reactions: emoji (in the order first given) to the users who gave it. */
    private final Map<MessageId, Map<String, Set<UserId>>> reactions = new HashMap<>();
    private final Map<UserId, Long> readMarkers = new HashMap<>();
    /** Whether the room was deleted: its log then holds only its last event, {@code room_deleted}. */
    private volatile boolean deleted;

    RoomState(Room room) {
        this.room = room;
        this.messages = new RoomMessages(room.id());
    }

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    Room room() {
        return room;
    }

    AppendOutcome apply(EventDraft draft) {
        if (deleted) {
            throw ParleyException.notFound("room " + room.id() + " does not exist");
        }
        return switch (draft) {
            case EventDraft.Post post -> post(post);
            case EventDraft.Edit edit -> edit(edit);
            case EventDraft.Delete delete -> delete(delete);
            case EventDraft.Join join -> join(join);
            case EventDraft.Leave leave -> members.remove(leave.user()) != null ? store(leave) : unchanged();
            case EventDraft.Read read -> read.upTo() > readMarker(read.user()) ? markRead(read) : unchanged();
            case EventDraft.UpdateRoom update -> update.before().equals(room.settings()) ? update(update) : unchanged();
            case EventDraft.SetRole set -> setRole(set);
            case EventDraft.HandOver handOver -> handOver(handOver);
            case EventDraft.Ban ban -> ban(ban);
            case EventDraft.Unban unban -> banned.remove(unban.user()) ? store(unban) : unchanged();
            case EventDraft.React react -> react(react);
            case EventDraft.Unreact unreact -> unreact(unreact);
        };
    }

    private AppendOutcome react(EventDraft.React react) {
        if (message(react.messageId()).filter(m -> !m.deleted()).isEmpty()) {
            throw ParleyException.notFound("no such message");
        }
        Map<String, Set<UserId>> given = reactions.computeIfAbsent(react.messageId(), id -> new LinkedHashMap<>());
        if (!given.containsKey(react.emoji()) && given.size() >= Reaction.MAX_PER_MESSAGE) {
            throw ParleyException.tooLarge("a message takes at most " + Reaction.MAX_PER_MESSAGE + " different reactions");
        }
        return given.computeIfAbsent(react.emoji(), e -> new LinkedHashSet<>()).add(react.user()) ? store(react)
                : unchanged();
    }

    private AppendOutcome unreact(EventDraft.Unreact unreact) {
        Map<String, Set<UserId>> given = reactions.get(unreact.messageId());
        Set<UserId> users = given == null ? null : given.get(unreact.emoji());
        if (users == null || !users.remove(unreact.user())) {
            return unchanged();
        }
        if (users.isEmpty()) {
            given.remove(unreact.emoji());
        }
        return store(unreact);
    }

    /** A message with its reactions counted, none of them marked as the reader's. */
    private Message counted(Message message) {
        Map<String, Set<UserId>> given = reactions.get(message.id());
        if (given == null || given.isEmpty()) {
            return message;
        }
        return message.withReactions(given.entrySet().stream()
                .map(e -> new Reaction(e.getKey(), e.getValue().size(), false)).toList());
    }

    Map<MessageId, Set<String>> reactedBy(UserId reader, Collection<MessageId> ids) {
        Map<MessageId, Set<String>> mine = new HashMap<>();
        for (MessageId id : ids) {
            Map<String, Set<UserId>> given = reactions.getOrDefault(id, Map.of());
            Set<String> own = new LinkedHashSet<>();
            given.forEach((emoji, users) -> {
                if (users.contains(reader)) {
                    own.add(emoji);
                }
            });
            if (!own.isEmpty()) {
                mine.put(id, own);
            }
        }
        return mine;
    }

    private AppendOutcome join(EventDraft.Join join) {
        if (banned.contains(join.user())) {
            throw ParleyException.forbidden(join.user() + " is banned from this room");
        }
        if (members.containsKey(join.user())) {
            return unchanged();
        }
        members.put(join.user(), room.isOwnedBy(join.user()) && !room.isDirect() ? Role.OWNER : Role.MEMBER);
        return store(join);
    }

    private AppendOutcome setRole(EventDraft.SetRole set) {
        Role current = members.get(set.user());
        if (current == null || current == Role.OWNER || current == set.role()) {
            return unchanged();
        }
        members.put(set.user(), set.role());
        return store(set);
    }

    private AppendOutcome handOver(EventDraft.HandOver handOver) {
        if (!room.isOwnedBy(handOver.from()) || !members.containsKey(handOver.to())
                || handOver.from().equals(handOver.to())) {
            return unchanged();
        }
        room = room.withOwner(handOver.to());
        members.put(handOver.to(), Role.OWNER);
        members.computeIfPresent(handOver.from(), (user, role) -> Role.ADMIN);
        return store(handOver);
    }

    private AppendOutcome ban(EventDraft.Ban ban) {
        if (room.isOwnedBy(ban.user())) {
            throw ParleyException.forbidden("the owner cannot be banned");
        }
        if (!banned.add(ban.user())) {
            return unchanged();
        }
        members.remove(ban.user());
        return store(ban);
    }

    /** Client ids span rooms, so {@link RoomDirectory} decides retries before a post gets here. */
    private AppendOutcome post(EventDraft.Post post) {
        if (messages.contains(post.messageId())) {
            throw new ParleyException(ErrorCode.CONFLICT, "message id " + post.messageId() + " is taken");
        }
        RoomEvent.MessagePosted event = post.toEvent(nextSeq());
        events.add(messages.add(event.message()));
        return new AppendOutcome.Appended(event);
    }

    private AppendOutcome edit(EventDraft.Edit edit) {
        AppendOutcome outcome = change(edit.messageId(), edit, m -> m.edited(edit.body(), edit.at()));
        if (outcome instanceof AppendOutcome.Appended(RoomEvent event)) {
            editSeqs.computeIfAbsent(edit.messageId(), id -> new ArrayList<>()).add(event.seq());
        }
        return outcome;
    }

    private AppendOutcome delete(EventDraft.Delete delete) {
        AppendOutcome outcome = change(delete.messageId(), delete, Message::tombstone);
        if (outcome instanceof AppendOutcome.Appended) {
            forgetContent(delete.messageId());
            reactions.remove(delete.messageId());
        }
        return outcome;
    }

    /**
     * Replaces a deleted message's earlier events by ones without its content, so that the log keeps none
     * of it: its {@code message} event becomes the tombstone of the message as posted, its edits lose their
     * bodies.
     */
    private void forgetContent(MessageId id) {
        int posted = index(messages.get(id).seq());
        Message asPosted = MessageRecord.message((byte[]) events.get(posted), room.id());
        events.set(posted, MessageRecord.of(asPosted.tombstone()));
        for (long seq : editSeqs.getOrDefault(id, List.of())) {
            RoomEvent.MessageEdited edit = (RoomEvent.MessageEdited) events.get(index(seq));
            events.set(index(seq), new RoomEvent.MessageEdited(edit.room(), seq, id, "", edit.at()));
        }
        editSeqs.remove(id);
    }

    private static int index(long seq) {
        return (int) (seq - 1);
    }

    private AppendOutcome change(MessageId id, EventDraft draft, UnaryOperator<Message> change) {
        Optional<Message> current = message(id).filter(m -> !m.deleted());
        if (current.isEmpty()) {
            return unchanged();
        }
        messages.replace(change.apply(current.get()));
        return store(draft);
    }

    private AppendOutcome update(EventDraft.UpdateRoom update) {
        room = room.with(update.after());
        return store(update);
    }

    private AppendOutcome markRead(EventDraft.Read read) {
        readMarkers.put(read.user(), read.upTo());
        return store(read);
    }

    private AppendOutcome store(EventDraft draft) {
        return store(draft.toEvent(nextSeq()));
    }

    private AppendOutcome store(RoomEvent event) {
        events.add(event);
        return new AppendOutcome.Appended(event);
    }

    private static AppendOutcome unchanged() {
        return new AppendOutcome.Unchanged();
    }

    Optional<Message> message(MessageId id) {
        return Optional.ofNullable(messages.get(id)).map(this::current);
    }

    /** A message with the preview of its parent as the parent is now (edited or deleted since, say). */
    private Message current(Message message) {
        if (message.replyTo().isEmpty()) {
            return message;
        }
        Message parent = messages.get(message.replyTo().get().id());
        return parent == null ? message : message.withReplyTo(ReplyPreview.of(parent));
    }

    /** An entry of {@link #events} as its event, a message's with the preview of its parent as it is now. */
    private RoomEvent event(Object entry) {
        return entry instanceof byte[] record
                ? new RoomEvent.MessagePosted(current(MessageRecord.message(record, room.id())))
                : (RoomEvent) entry;
    }

    HistoryPage history(HistoryQuery query) {
        List<Message> range = switch (query.direction()) {
            case BACKWARD -> messages.before(query.anchor());
            case FORWARD -> messages.after(query.anchor());
        };
        List<Message> page = new ArrayList<>(query.limit());
        Iterator<Message> it = range.iterator();
        while (page.size() < query.limit() && it.hasNext()) {
            page.add(counted(current(it.next())));
        }
        return new HistoryPage(page, it.hasNext());
    }

    /** @return the room's messages the query finds, after its position, at most one more than its limit */
    List<Message> search(SearchQuery query) {
        return messages.all().stream()
                .filter(m -> query.matches(m) && query.after().map(p -> p.precedes(m)).orElse(true))
                .sorted(Comparator.comparing(SearchQuery.Position::of, SearchQuery.ORDER))
                .limit(query.limit() + 1L)
                .map(this::current)
                .toList();
    }

    List<RoomEvent> eventsAfter(long after, int limit) {
        if (after < 0 || limit < 0) {
            throw ParleyException.invalid("after and limit must not be negative");
        }
        if (deleted) {
            RoomEvent gone = (RoomEvent) events.getLast();
            return gone.seq() > after && limit > 0 ? List.of(gone) : List.of();
        }
        int from = (int) Math.min(after, events.size());
        int to = (int) Math.min(events.size(), (long) from + limit);
        return events.subList(from, Math.max(from, to)).stream().map(this::event).toList();
    }

    /** @return whether the room was deleted (readable without the lock) */
    boolean deleted() {
        return deleted;
    }

    /**
     * Deletes the room: everything it held goes, and its log keeps only the event this appends.
     *
     * @param by who deletes it
     * @param at time
     * @return the room's last event
     */
    RoomEvent.RoomDeleted delete(UserId by, Instant at) {
        RoomEvent.RoomDeleted gone = new RoomEvent.RoomDeleted(room.id(), nextSeq(), by, at);
        events.clear();
        events.add(gone);
        messages.clear();
        editSeqs.clear();
        members.clear();
        banned.clear();
        reactions.clear();
        readMarkers.clear();
        deleted = true;
        return gone;
    }

    private long nextSeq() {
        return events.size() + 1L;
    }

    long lastSeq() {
        return deleted ? ((RoomEvent) events.getLast()).seq() : events.size();
    }

    /** @return when the latest event happened, or the room was created */
    Instant lastActivity() {
        if (events.isEmpty()) {
            return room.createdAt();
        }
        return events.getLast() instanceof byte[] record ? MessageRecord.sentAt(record) : ((RoomEvent) events.getLast()).at();
    }

    boolean isMember(UserId user) {
        return members.containsKey(user);
    }

    List<UserId> members() {
        return List.copyOf(members.keySet());
    }

    Optional<Role> roleOf(UserId user) {
        return Optional.ofNullable(members.get(user));
    }

    List<Member> membersWithRoles() {
        return members.entrySet().stream().map(e -> new Member(e.getKey(), e.getValue())).toList();
    }

    boolean isBanned(UserId user) {
        return banned.contains(user);
    }

    List<UserId> banned() {
        return List.copyOf(banned);
    }

    RoomSummary summaryFor(UserId user) {
        long readUpTo = readMarker(user);
        long unread = messages.unreadAfter(readUpTo, user, false, RoomSummary.UNREAD_CAP);
        long mentions = messages.unreadAfter(readUpTo, user, true, RoomSummary.UNREAD_CAP);
        return new RoomSummary(room, lastSeq(), lastActivity(), readUpTo, unread, mentions);
    }

    /** The summary's place in a room list, without the unread count (left 0). */
    RoomSummary positionOf(UserId user) {
        return new RoomSummary(room, lastSeq(), lastActivity(), readMarker(user), 0);
    }

    private long readMarker(UserId user) {
        return readMarkers.getOrDefault(user, 0L);
    }
}
