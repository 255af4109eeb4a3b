package io.parley.testkit;

import io.parley.domain.EventDraft;
import io.parley.domain.MessageId;
import io.parley.domain.Room;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test data for store contracts: users, rooms and event drafts with fresh ids and times from a clock.
 *
 * <p>Every id carries a scope unique to this instance, so tests never collide, even in a database that
 * is shared between tests and never emptied. Thread-safe.
 */
public final class Drafts {
    private final Clock clock;
    private final String scope;
    private final AtomicLong counter = new AtomicLong();

    private Drafts(Clock clock, String scope) {
        this.clock = clock;
        this.scope = scope;
    }

    /**
     * @param clock where draft times come from
     * @return fixtures with ids in a new random scope
     */
    public static Drafts create(Clock clock) {
        return new Drafts(Objects.requireNonNull(clock, "clock"), UUID.randomUUID().toString().substring(0, 8));
    }

    /** @return the clock's next reading */
    public Instant now() {
        return clock.instant();
    }

    /**
     * @param name display name, also the readable part of the id
     * @return a user unique to this scope
     */
    public User user(String name) {
        return new User(UserId.of(name + "." + scope), name);
    }

    /**
     * @param name  display name, also the readable part of the id
     * @param owner who creates and owns the room
     * @return a new open room, created now, with an id unique to this scope
     */
    public Room room(String name, User owner) {
        RoomId id = RoomId.of(name + "-" + counter.incrementAndGet() + "." + scope);
        return new Room(id, name, Visibility.OPEN, owner.id(), now());
    }

    /** @return a new message id */
    public MessageId messageId() {
        return MessageId.of("m" + counter.incrementAndGet() + "." + scope);
    }

    /**
     * @param room   the room to post in
     * @param author who posts it
     * @param body   text
     * @return a post without client id or attachment
     */
    public EventDraft.Post post(RoomId room, User author, String body) {
        return new EventDraft.Post(room, messageId(), author, body, Optional.empty(), Optional.empty(), now());
    }

    /**
     * @param room     the room to post in
     * @param author   who posts it
     * @param body     text
     * @param clientId the author's idempotency key
     * @return a post with a client id
     */
    public EventDraft.Post post(RoomId room, User author, String body, String clientId) {
        return new EventDraft.Post(room, messageId(), author, body, Optional.empty(), Optional.of(clientId), now());
    }

    /**
     * @param room          the room to post in
     * @param author        who posts it
     * @param body          text
     * @param attachmentUrl attached file
     * @return a post with an attachment
     */
    public EventDraft.Post postWithAttachment(RoomId room, User author, String body, String attachmentUrl) {
        return new EventDraft.Post(room, messageId(), author, body, Optional.of(attachmentUrl), Optional.empty(),
                now());
    }

    /**
     * @param room    the room of the message
     * @param message the message to edit
     * @param body    new text
     * @return an edit
     */
    public EventDraft.Edit edit(RoomId room, MessageId message, String body) {
        return new EventDraft.Edit(room, message, body, now());
    }

    /**
     * @param room    the room of the message
     * @param message the message to delete
     * @return a delete
     */
    public EventDraft.Delete delete(RoomId room, MessageId message) {
        return new EventDraft.Delete(room, message, now());
    }

    /**
     * @param room the room to join
     * @param user who joins
     * @return a join
     */
    public EventDraft.Join join(RoomId room, User user) {
        return new EventDraft.Join(room, user.id(), now());
    }

    /**
     * @param room the room to leave
     * @param user who leaves
     * @return a leave
     */
    public EventDraft.Leave leave(RoomId room, User user) {
        return new EventDraft.Leave(room, user.id(), now());
    }

    /**
     * @param room the room whose events were read
     * @param user reader
     * @param upTo highest seq read
     * @return a read receipt
     */
    public EventDraft.Read read(RoomId room, User user, long upTo) {
        return new EventDraft.Read(room, user.id(), upTo, now());
    }
}
