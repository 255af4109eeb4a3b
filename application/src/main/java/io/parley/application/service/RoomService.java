package io.parley.application.service;

import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.ChatHooks.JoinAttempt;
import io.parley.domain.DirectPair;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Member;
import io.parley.domain.MembershipPolicy;
import io.parley.domain.ModerationPolicy;
import io.parley.domain.ParleyException;
import io.parley.domain.Presence;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomChange;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomPolicy;
import io.parley.domain.RoomSettings;
import io.parley.domain.User;
import io.parley.domain.UserId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms and membership use cases. */
public final class RoomService implements ManageRooms {
    /** Display names this node stored lately, so that reading the room list writes nothing most times. */
    private static final int REMEMBERED_NAMES = 100_000;
    /** How often an update is tried again after another one changed the settings under it. */
    private static final int MAX_UPDATE_ATTEMPTS = 5;

    private final ChatContext ctx;
    private final Access access;
    private final EventPublisher publisher;
    private final Decisions decisions;
    private final Map<UserId, String> rememberedNames = new ConcurrentHashMap<>();

    private RoomService(ChatContext ctx, EventPublisher publisher) {
        this.ctx = ctx;
        this.access = new Access(ctx.rooms());
        this.publisher = publisher;
        this.decisions = new Decisions(ctx);
    }

    /**
     * @param ctx       ports and settings
     * @param publisher where stored events go
     * @return the service
     */
    public static RoomService create(ChatContext ctx, EventPublisher publisher) {
        return new RoomService(ctx, publisher);
    }

    @Override
    public RoomView create(User actor, CreateRoom command) {
        return create(actor, RoomId.of(ctx.ids().next()), command, true);
    }

    @Override
    public RoomEnsured ensure(User owner, RoomId id, CreateRoom command) {
        if (id.value().startsWith(DirectPair.PREFIX)) {
            throw ParleyException.invalid("room ids starting with " + DirectPair.PREFIX
                    + " are direct conversations'");
        }
        Optional<Room> existing = ctx.rooms().find(id);
        if (existing.isPresent()) {
            return new RoomEnsured(new RoomView(existing.get(), ctx.log().lastSeq(id)), false);
        }
        try {
            // the owner's display name is not the backend's to set: only their own token names them
            return new RoomEnsured(create(owner, id, command, false), true);
        } catch (ParleyException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            // created at the same moment by another call, on this node or another
            Room theirs = ctx.rooms().find(id).orElseThrow(() -> new ParleyException(ErrorCode.CONFLICT,
                    "room " + id + " was deleted: its id is not given out again"));
            return new RoomEnsured(new RoomView(theirs, ctx.log().lastSeq(id)), false);
        }
    }

    @Override
    public Room existing(RoomId room) {
        return access.room(room);
    }

    private RoomView create(User actor, RoomId id, CreateRoom command, boolean namedByToken) {
        String name = ctx.limits().checkRoomName(command.name());
        Instant now = ctx.clock().instant();
        Room room = new Room(id, name, command.visibility(), actor.id(), now);
        Set<UserId> members = new LinkedHashSet<>();
        members.add(actor.id().requireUser());
        command.members().forEach(member -> members.add(member.requireUser()));
        int maxMembers = ctx.usage().maxMembersPerRoom();
        if (members.size() > maxMembers) {
            ctx.metrics().limitRefused("members_per_room");
            throw ParleyException.tooLarge("a room has at most " + maxMembers + " members");
        }
        members.stream().filter(member -> !member.equals(actor.id()))
                .forEach(member -> decisions.join(actor, member, room.id(), JoinAttempt.Way.CREATE));
        takeRoomAllowance(actor);
        if (namedByToken) {
            rememberName(actor);
        }
        List<RoomEvent.MemberJoined> joined = ctx.rooms().create(room, new ArrayList<>(members));
        publisher.publishedAll(joined);
        return new RoomView(room, joined.isEmpty() ? 0 : joined.getLast().seq());
    }

    /** One of the rooms a user may create per hour (a direct conversation counts as one). */
    private void takeRoomAllowance(User actor) {
        int perHour = ctx.usage().roomsPerUserPerHour();
        if (ctx.counters().take("rooms:" + actor.id().value(), 1, perHour, perHour / 3600.0) == 0) {
            ctx.metrics().limitRefused("rooms_per_hour");
            throw new ParleyException(ErrorCode.RATE_LIMITED, "at most " + perHour
                    + " new rooms per hour: try again later");
        }
    }

    /**
     * Stores the caller's display name, cleaned and cut as a message's author name is, when this node has not
     * stored it yet (or it changed): the name of a direct conversation's other person is read from there.
     */
    private void rememberName(User actor) {
        String name = ctx.limits().fitDisplayName(actor.displayName());
        if (!name.equals(rememberedNames.get(actor.id()))) {
            ctx.rooms().rememberName(new User(actor.id(), name));
            if (rememberedNames.size() >= REMEMBERED_NAMES) {
                rememberedNames.clear();
            }
            rememberedNames.put(actor.id(), name);
        }
    }

    @Override
    public DirectOpened openDirect(User actor, UserId peer) {
        DirectPair pair = DirectPair.of(actor.id().requireUser(), peer.requireUser());
        rememberName(actor);
        Optional<Room> existing = ctx.rooms().find(pair.roomId());
        if (existing.isPresent()) {
            return new DirectOpened(new RoomView(existing.get(), ctx.log().lastSeq(pair.roomId())), false);
        }
        decisions.join(actor, peer, pair.roomId(), JoinAttempt.Way.DIRECT);
        takeRoomAllowance(actor);
        Room room = Room.direct(pair, actor.id(), ctx.clock().instant());
        try {
            List<RoomEvent.MemberJoined> joined = ctx.rooms().create(room, List.of(actor.id(), peer));
            publisher.publishedAll(joined);
            return new DirectOpened(new RoomView(room, joined.getLast().seq()), true);
        } catch (ParleyException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            // the other person (or another tab) opened it at the same moment, on this node or another
            Room theirs = ctx.rooms().find(pair.roomId()).orElseThrow(() -> e);
            return new DirectOpened(new RoomView(theirs, ctx.log().lastSeq(pair.roomId())), false);
        }
    }

    @Override
    public Map<RoomId, Peer> peersIn(User actor, List<Room> rooms) {
        Map<RoomId, UserId> others = new LinkedHashMap<>();
        for (Room room : rooms) {
            room.direct().filter(pair -> pair.includes(actor.id()))
                    .ifPresent(pair -> others.put(room.id(), pair.other(actor.id())));
        }
        if (others.isEmpty()) {
            return Map.of();
        }
        List<UserId> people = List.copyOf(new LinkedHashSet<>(others.values()));
        Map<UserId, String> names = ctx.rooms().namesOf(people);
        Map<UserId, Presence> presence = new HashMap<>();
        ctx.presence().presenceOf(people).forEach(p -> presence.put(p.user(), p));
        Map<RoomId, Peer> peers = new LinkedHashMap<>();
        others.forEach((room, user) -> peers.put(room, new Peer(names.getOrDefault(user, user.value()),
                presence.getOrDefault(user, Presence.neverSeen(user)))));
        return peers;
    }

    @Override
    public Room room(User actor, RoomId room) {
        return access.requireMember(room, actor.id());
    }

    @Override
    public Room subscribable(User actor, RoomId roomId) {
        Room room = access.requireMember(roomId, actor.id());
        decisions.subscribe(actor, roomId);
        return room;
    }

    @Override
    public RoomView view(User actor, RoomId room) {
        return new RoomView(access.requireMember(room, actor.id()), ctx.log().lastSeq(room));
    }

    @Override
    public RoomListPage roomsOf(User actor, RoomListQuery query) {
        rememberName(actor);
        return ctx.rooms().summariesOf(actor.id(), query);
    }

    @Override
    public DirectoryQuery.Page directory(User actor, DirectoryQuery query) {
        return ctx.rooms().directory(query);
    }

    @Override
    public Optional<RoomEvent> addMember(User actor, RoomId roomId, UserId user) {
        user.requireUser();
        Room room = access.room(roomId);
        Optional<Role> actorRole = ctx.rooms().roleOf(roomId, actor.id());
        if (actor.id().equals(user) && actorRole.isPresent()) {
            return Optional.empty(); // joining a room one is in changes nothing, private or open
        }
        MembershipPolicy.checkAdd(room, actorRole, actor.id(), user, ctx.rooms().isBanned(roomId, user));
        RoomPolicy.checkWritable(room);
        int maxMembers = ctx.usage().maxMembersPerRoom();
        boolean joining = !ctx.rooms().isMember(roomId, user);
        if (joining && ctx.rooms().members(roomId).size() >= maxMembers) {
            // Counted in the store before the join: joins racing for the last place may pass it by a few.
            ctx.metrics().limitRefused("members_per_room");
            throw ParleyException.tooLarge("the room is full: it has " + maxMembers + " members, the most a room has");
        }
        if (joining) {
            decisions.join(actor, user, roomId, actor.id().equals(user) ? JoinAttempt.Way.JOIN : JoinAttempt.Way.ADD);
        }
        return appended(new EventDraft.Join(roomId, user, ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> removeMember(User actor, RoomId roomId, UserId user) {
        Room room = access.room(roomId);
        MembershipPolicy.checkRemove(room, ctx.rooms().roleOf(roomId, actor.id()), actor.id(), user,
                ctx.rooms().roleOf(roomId, user));
        return appended(new EventDraft.Leave(roomId, user, ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> setRole(User actor, RoomId roomId, UserId user, Role role) {
        ModerationPolicy.checkModerated(access.room(roomId));
        ModerationPolicy.checkSetRole(access.requireRole(roomId, actor.id()), ctx.rooms().roleOf(roomId, user), role);
        return appended(new EventDraft.SetRole(roomId, user, role, actor.id(), ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> handOver(User actor, RoomId roomId, UserId to) {
        ModerationPolicy.checkModerated(access.room(roomId));
        ModerationPolicy.checkTransfer(access.requireRole(roomId, actor.id()), actor.id(), to,
                ctx.rooms().roleOf(roomId, to));
        if (actor.id().equals(to)) {
            return Optional.empty();
        }
        Optional<RoomEvent> handed = appended(new EventDraft.HandOver(roomId, actor.id(), to, ctx.clock().instant()));
        if (handed.isEmpty()) {
            // the new owner left, or the room changed hands, between the check and the append
            throw new ParleyException(ErrorCode.CONFLICT, "the room or its members changed meanwhile: try again");
        }
        return handed;
    }

    @Override
    public Optional<RoomEvent> ban(User actor, RoomId roomId, UserId user) {
        ModerationPolicy.checkModerated(access.room(roomId));
        ModerationPolicy.checkBan(access.requireRole(roomId, actor.id()), actor.id(), user,
                ctx.rooms().roleOf(roomId, user));
        return appended(new EventDraft.Ban(roomId, user, actor.id(), ctx.clock().instant()));
    }

    @Override
    public Optional<RoomEvent> unban(User actor, RoomId roomId, UserId user) {
        ModerationPolicy.checkModerated(access.room(roomId));
        ModerationPolicy.checkUnban(access.requireRole(roomId, actor.id()));
        return appended(new EventDraft.Unban(roomId, user, actor.id(), ctx.clock().instant()));
    }

    @Override
    public List<Member> members(User actor, RoomId room) {
        access.requireMember(room, actor.id());
        return ctx.rooms().membersWithRoles(room);
    }

    @Override
    public Map<UserId, String> displayNames(User actor, Collection<UserId> users) {
        return ctx.rooms().namesOf(users);
    }

    @Override
    public List<UserId> banned(User actor, RoomId room) {
        access.room(room);
        if (!access.requireRole(room, actor.id()).moderates()) {
            throw ParleyException.forbidden("only the room owner or an admin sees who is banned");
        }
        return ctx.rooms().banned(room);
    }

    @Override
    public RoomEvent delete(User actor, RoomId roomId) {
        RoomPolicy.checkDelete(access.room(roomId), access.requireRole(roomId, actor.id()));
        RoomEvent.RoomDeleted gone = ctx.rooms().delete(roomId, actor.id(), ctx.clock().instant())
                .orElseThrow(() -> ParleyException.notFound("room " + roomId + " does not exist")); // deleted meanwhile
        publisher.published(gone);
        return gone;
    }

    @Override
    public Optional<RoomEvent> update(User actor, RoomId roomId, RoomChange change) {
        RoomChange checked = change.checked(ctx.limits());
        for (int attempt = 1; ; attempt++) {
            Room room = access.room(roomId);
            RoomSettings after = checked.applyTo(room.settings());
            RoomPolicy.checkUpdate(room, access.requireRole(roomId, actor.id()), after);
            ctx.limits().checkMetadata(after.metadata());
            if (after.equals(room.settings())) {
                return Optional.empty();
            }
            Optional<RoomEvent> updated = appended(new EventDraft.UpdateRoom(roomId, actor.id(), room.settings(), after,
                    ctx.clock().instant()));
            if (updated.isPresent()) {
                return updated;
            }
            if (attempt == MAX_UPDATE_ATTEMPTS) {
                // A few moderators racing each other settle within a few attempts; this takes a flood of changes.
                throw new ParleyException(ErrorCode.CONFLICT, "the room's settings kept changing: try again");
            }
        }
    }

    @Override
    public List<Presence> presence(User actor, RoomId room) {
        access.requireMember(room, actor.id());
        return ctx.presence().presenceOf(ctx.rooms().members(room));
    }

    private Optional<RoomEvent> appended(EventDraft draft) {
        AppendOutcome outcome = ctx.log().append(draft);
        if (outcome instanceof AppendOutcome.Appended appended) {
            publisher.published(appended.event());
            return Optional.of(appended.event());
        }
        return Optional.empty();
    }
}
