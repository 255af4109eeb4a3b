package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Reaction;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.UserId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The slice of the stored state that one batch of drafts reads and changes, held in memory while the
 * batch's transaction holds the locks of its rooms. {@link #apply} decides each draft exactly as the
 * port's contract says (and as the in-memory store does), seeing the effect of the drafts before it; the
 * accessors then describe what to write. Not thread-safe: one batch, one thread.
 */
final class BatchState {
    /** A user in a room: a membership or a read marker. */
    record MemberKey(RoomId room, UserId user) {
    }

    /** A message in a room. */
    record MessageKey(RoomId room, MessageId id) {
    }

    /** One user's reaction to a message. */
    record ReactionKey(RoomId room, MessageId message, String emoji, UserId user) {
        MessageKey messageKey() {
            return new MessageKey(room, message);
        }
    }

    /** An author's idempotency key. */
    record ClientKey(UserId author, String clientId) {
    }

    /**
     * A message posted by this batch.
     *
     * @param message  its final state (a later draft of the batch may have edited or deleted it)
     * @param clientId its idempotency key, if it has one
     */
    record Posted(Message message, Optional<String> clientId) {
    }

    private final Map<RoomId, Long> lastSeq;
    private final Map<RoomId, Room> rooms;
    private final Map<RoomId, RoomSettings> updated = new HashMap<>();
    private final Map<RoomId, UserId> handedOver = new HashMap<>();
    /** The loaded memberships and what the batch made of them: a key without a role is no membership. */
    private final Map<MemberKey, Role> members = new HashMap<>();
    private final Map<MemberKey, Role> loadedRoles = new HashMap<>();
    private final Set<MemberKey> loadedBans = new HashSet<>();
    private final Map<MemberKey, Boolean> bans = new HashMap<>();
    /** Per message, how many users gave each emoji (loaded for the messages of reaction drafts). */
    private final Map<MessageKey, Map<String, Integer>> reactionCounts = new HashMap<>();
    private final Set<ReactionKey> loadedReactions = new HashSet<>();
    private final Map<ReactionKey, Boolean> reactions = new LinkedHashMap<>();
    private final Map<ReactionKey, Long> reactionSeqs = new HashMap<>();
    private final Map<MemberKey, Long> markers = new HashMap<>();
    private final Map<MessageKey, Message> messages = new HashMap<>();
    private final Map<ClientKey, MessageKey> byClientId = new HashMap<>();

    private final List<RoomEvent> events = new ArrayList<>();
    private final Map<MessageKey, Optional<String>> posted = new LinkedHashMap<>();
    private final Set<MessageKey> changed = new LinkedHashSet<>();
    private final Map<MemberKey, RoomEvent.MemberJoined> joined = new LinkedHashMap<>();
    private final Set<MemberKey> left = new LinkedHashSet<>();
    private final Map<MemberKey, Long> movedMarkers = new LinkedHashMap<>();
    private final Map<RoomId, RoomEvent> latest = new LinkedHashMap<>();

    /**
     * @param lastSeq the last seq of each locked room
     * @param rooms   each locked room as stored
     */
    BatchState(Map<RoomId, Long> lastSeq, Map<RoomId, Room> rooms) {
        this.lastSeq = new HashMap<>(lastSeq);
        this.rooms = new HashMap<>(rooms);
    }

    /** @param key a membership that exists @param role its role */
    void loadMember(MemberKey key, Role role) {
        members.put(key, role);
        loadedRoles.put(key, role);
    }

    /** @param key a message @param emoji an emoji given to it @param users by how many users */
    void loadReactionCount(MessageKey key, String emoji, int users) {
        reactionCounts.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(emoji, users);
    }

    /** @param key a reaction that exists */
    void loadReaction(ReactionKey key) {
        reactions.put(key, true);
        loadedReactions.add(key);
    }

    /** @param key a ban that exists */
    void loadBan(MemberKey key) {
        bans.put(key, true);
        loadedBans.add(key);
    }

    /** @param key a read marker that exists @param upTo its value */
    void loadMarker(MemberKey key, long upTo) {
        markers.put(key, upTo);
    }

    /** @param message a stored message @param clientId its idempotency key, if any */
    void loadMessage(Message message, Optional<String> clientId) {
        MessageKey key = new MessageKey(message.room(), message.id());
        messages.put(key, message);
        clientId.ifPresent(id -> byClientId.put(new ClientKey(message.author(), id), key));
    }

    /** @return whether the room is locked by this batch (it exists) */
    boolean hasRoom(RoomId room) {
        return lastSeq.containsKey(room);
    }

    /**
     * @param room a locked room
     * @return the room as the batch leaves it
     */
    Room room(RoomId room) {
        return rooms.get(room);
    }

    /**
     * Applies one draft to the state.
     *
     * @param draft a draft for a room of this batch, its times already cut to microseconds
     * @return what happened
     * @throws ParleyException when the draft is refused; it then changed nothing
     */
    AppendOutcome apply(EventDraft draft) {
        if (!hasRoom(draft.room())) {
            throw ParleyException.notFound("room " + draft.room() + " does not exist");
        }
        return switch (draft) {
            case EventDraft.Post post -> post(post);
            case EventDraft.Edit edit -> change(new MessageKey(edit.room(), edit.messageId()), edit,
                    m -> m.edited(edit.body(), edit.at()));
            case EventDraft.Delete delete -> change(new MessageKey(delete.room(), delete.messageId()), delete,
                    Message::tombstone);
            case EventDraft.Join join -> join(join);
            case EventDraft.Leave leave -> leave(leave);
            case EventDraft.Read read -> read(read);
            case EventDraft.UpdateRoom update -> update(update);
            case EventDraft.SetRole set -> setRole(set);
            case EventDraft.HandOver handOver -> handOver(handOver);
            case EventDraft.Ban ban -> ban(ban);
            case EventDraft.Unban unban -> unban(unban);
            case EventDraft.React react -> react(react);
            case EventDraft.Unreact unreact -> unreact(unreact);
        };
    }

    private AppendOutcome react(EventDraft.React react) {
        MessageKey message = new MessageKey(react.room(), react.messageId());
        Message current = messages.get(message);
        if (current == null || current.deleted()) {
            throw ParleyException.notFound("no such message");
        }
        ReactionKey key = new ReactionKey(react.room(), react.messageId(), react.emoji(), react.user());
        if (reactions.getOrDefault(key, false)) {
            return unchanged();
        }
        Map<String, Integer> counts = reactionCounts.computeIfAbsent(message, k -> new LinkedHashMap<>());
        if (!counts.containsKey(react.emoji()) && counts.size() >= Reaction.MAX_PER_MESSAGE) {
            throw ParleyException.tooLarge("a message takes at most " + Reaction.MAX_PER_MESSAGE + " different reactions");
        }
        counts.merge(react.emoji(), 1, Integer::sum);
        reactions.put(key, true);
        RoomEvent.ReactionAdded event = react.toEvent(nextSeq(react.room()));
        reactionSeqs.put(key, event.seq());
        return appended(event);
    }

    private AppendOutcome unreact(EventDraft.Unreact unreact) {
        ReactionKey key = new ReactionKey(unreact.room(), unreact.messageId(), unreact.emoji(), unreact.user());
        if (!reactions.getOrDefault(key, false)) {
            return unchanged();
        }
        reactions.put(key, false);
        reactionCounts.get(key.messageKey()).computeIfPresent(unreact.emoji(), (e, n) -> n > 1 ? n - 1 : null);
        return appended(unreact.toEvent(nextSeq(unreact.room())));
    }

    /** @return reactions the batch added, with the seq of their event, not to messages it deleted */
    Map<ReactionKey, Long> addedReactions() {
        Map<ReactionKey, Long> added = new LinkedHashMap<>();
        reactions.forEach((key, present) -> {
            if (present && !loadedReactions.contains(key) && !endsDeleted(key.room(), key.message())) {
                added.put(key, reactionSeqs.get(key));
            }
        });
        return added;
    }

    /** @return reactions that existed before the batch and that it took back */
    List<ReactionKey> removedReactions() {
        return reactions.entrySet().stream().filter(e -> !e.getValue() && loadedReactions.contains(e.getKey())
                        && !endsDeleted(e.getKey().room(), e.getKey().message()))
                .map(Map.Entry::getKey).toList();
    }

    private AppendOutcome update(EventDraft.UpdateRoom update) {
        Room room = rooms.get(update.room());
        if (!update.before().equals(room.settings())) {
            return unchanged();
        }
        rooms.put(room.id(), room.with(update.after()));
        updated.put(update.room(), update.after());
        return appended(update.toEvent(nextSeq(update.room())));
    }

    private AppendOutcome setRole(EventDraft.SetRole set) {
        MemberKey key = new MemberKey(set.room(), set.user());
        Role current = members.get(key);
        if (current == null || current == Role.OWNER || current == set.role()) {
            return unchanged();
        }
        members.put(key, set.role());
        return appended(set.toEvent(nextSeq(set.room())));
    }

    private AppendOutcome handOver(EventDraft.HandOver handOver) {
        Room room = rooms.get(handOver.room());
        MemberKey to = new MemberKey(handOver.room(), handOver.to());
        if (!room.isOwnedBy(handOver.from()) || !isMember(to) || handOver.from().equals(handOver.to())) {
            return unchanged();
        }
        rooms.put(room.id(), room.withOwner(handOver.to()));
        handedOver.put(room.id(), handOver.to());
        members.put(to, Role.OWNER);
        members.computeIfPresent(new MemberKey(handOver.room(), handOver.from()), (k, role) -> Role.ADMIN);
        return appended(handOver.toEvent(nextSeq(handOver.room())));
    }

    private AppendOutcome ban(EventDraft.Ban ban) {
        if (rooms.get(ban.room()).isOwnedBy(ban.user())) {
            throw ParleyException.forbidden("the owner cannot be banned");
        }
        MemberKey key = new MemberKey(ban.room(), ban.user());
        if (isBanned(key)) {
            return unchanged();
        }
        bans.put(key, true);
        if (isMember(key)) {
            endMembership(key);
        }
        return appended(ban.toEvent(nextSeq(ban.room())));
    }

    private AppendOutcome unban(EventDraft.Unban unban) {
        MemberKey key = new MemberKey(unban.room(), unban.user());
        if (!isBanned(key)) {
            return unchanged();
        }
        bans.put(key, false);
        return appended(unban.toEvent(nextSeq(unban.room())));
    }

    private boolean isBanned(MemberKey key) {
        return bans.getOrDefault(key, false);
    }

    /**
     * @param room a room of the batch
     * @return its new owner, when the batch handed it over
     */
    Optional<UserId> newOwner(RoomId room) {
        return Optional.ofNullable(handedOver.get(room));
    }

    /** @return memberships that existed before the batch and still do, whose role it changed, with that role */
    Map<MemberKey, Role> changedRoles() {
        Map<MemberKey, Role> changed = new LinkedHashMap<>();
        loadedRoles.forEach((key, before) -> {
            Role after = members.get(key);
            if (after != null && after != before && !joined.containsKey(key) && !left.contains(key)) {
                changed.put(key, after);
            }
        });
        return changed;
    }

    /**
     * @param key a membership of {@link #joined()}
     * @return its role once the batch is applied
     */
    Role roleOf(MemberKey key) {
        return members.get(key);
    }

    /** @return bans the batch added (not there before) */
    List<MemberKey> addedBans() {
        return bans.entrySet().stream().filter(e -> e.getValue() && !loadedBans.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
    }

    /** @return bans the batch lifted (there before) */
    List<MemberKey> liftedBans() {
        return bans.entrySet().stream().filter(e -> !e.getValue() && loadedBans.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
    }

    /**
     * @param room a room of the batch
     * @return its settings after the batch, when the batch changed them
     */
    Optional<RoomSettings> updatedSettings(RoomId room) {
        return Optional.ofNullable(updated.get(room));
    }

    private AppendOutcome post(EventDraft.Post post) {
        Optional<ClientKey> clientKey = post.clientId().map(id -> new ClientKey(post.author().id(), id));
        Optional<MessageKey> original = clientKey.map(byClientId::get);
        if (original.isPresent()) {
            return new AppendOutcome.AlreadyPosted(messages.get(original.get()));
        }
        MessageKey key = new MessageKey(post.room(), post.messageId());
        if (posted.containsKey(key) || messages.containsKey(key)) {
            throw new ParleyException(ErrorCode.CONFLICT, "message id " + post.messageId() + " is taken");
        }
        RoomEvent.MessagePosted event = post.toEvent(nextSeq(post.room()));
        messages.put(key, event.message());
        posted.put(key, post.clientId());
        clientKey.ifPresent(k -> byClientId.put(k, key));
        return appended(event);
    }

    private AppendOutcome change(MessageKey key, EventDraft draft, UnaryOperator<Message> how) {
        Message current = messages.get(key);
        if (current == null || current.deleted()) {
            return unchanged();
        }
        messages.put(key, how.apply(current));
        if (!posted.containsKey(key)) {
            changed.add(key);
        }
        return appended(draft.toEvent(nextSeq(key.room())));
    }

    private AppendOutcome join(EventDraft.Join join) {
        MemberKey key = new MemberKey(join.room(), join.user());
        if (isBanned(key)) {
            throw ParleyException.forbidden(join.user() + " is banned from this room");
        }
        if (isMember(key)) {
            return unchanged();
        }
        RoomEvent.MemberJoined event = join.toEvent(nextSeq(join.room()));
        Room room = rooms.get(join.room());
        members.put(key, room.isOwnedBy(join.user()) && !room.isDirect() ? Role.OWNER : Role.MEMBER);
        left.remove(key);
        joined.put(key, event);
        return appended(event);
    }

    private AppendOutcome leave(EventDraft.Leave leave) {
        MemberKey key = new MemberKey(leave.room(), leave.user());
        if (!isMember(key)) {
            return unchanged();
        }
        endMembership(key);
        return appended(leave.toEvent(nextSeq(leave.room())));
    }

    private void endMembership(MemberKey key) {
        members.remove(key);
        joined.remove(key);
        left.add(key); // deleting a row that the batch inserted and took back deletes nothing
    }

    private AppendOutcome read(EventDraft.Read read) {
        MemberKey key = new MemberKey(read.room(), read.user());
        if (read.upTo() <= markers.getOrDefault(key, 0L)) {
            return unchanged();
        }
        markers.put(key, read.upTo());
        movedMarkers.put(key, read.upTo());
        return appended(read.toEvent(nextSeq(read.room())));
    }

    private boolean isMember(MemberKey key) {
        return members.get(key) != null;
    }

    private long nextSeq(RoomId room) {
        return lastSeq.merge(room, 1L, Long::sum);
    }

    private AppendOutcome appended(RoomEvent event) {
        events.add(event);
        latest.put(event.room(), event);
        return new AppendOutcome.Appended(event);
    }

    private static AppendOutcome unchanged() {
        return new AppendOutcome.Unchanged();
    }

    /**
     * @param room the message's room
     * @param id   a message of it
     * @return whether the message is deleted once the batch is applied
     */
    boolean endsDeleted(RoomId room, MessageId id) {
        Message message = messages.get(new MessageKey(room, id));
        return message != null && message.deleted();
    }

    /** @return the events appended, in order */
    List<RoomEvent> events() {
        return events;
    }

    /** @return the messages this batch posted, in their final state */
    List<Posted> posted() {
        return posted.entrySet().stream().map(e -> new Posted(messages.get(e.getKey()), e.getValue())).toList();
    }

    /** @return messages stored before this batch that it edited or deleted, in their final state */
    List<Message> changed() {
        return changed.stream().map(messages::get).toList();
    }

    /** @return memberships that exist after the batch and started in it, with the join that started them */
    List<RoomEvent.MemberJoined> joined() {
        return List.copyOf(joined.values());
    }

    /** @return memberships that existed before the batch and ended in it */
    List<MemberKey> left() {
        return List.copyOf(left);
    }

    /** @return read markers the batch moved, with their new values */
    Map<MemberKey, Long> movedMarkers() {
        return movedMarkers;
    }

    /** @return the latest event of every room that got one */
    List<RoomEvent> latestPerRoom() {
        return List.copyOf(latest.values());
    }
}
