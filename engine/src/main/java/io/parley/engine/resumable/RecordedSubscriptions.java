package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.engine.ServerEvent;
import io.parley.engine.SessionSubscriptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Subscriptions of a resumable session, changed by commands posted to any node: written to the session's
 * record, where the node serving the stream or poll reads them. The ack is computed here, from the store:
 * {@code last_seq} is the room's latest seq now; the subscription starts at {@code after} (at most
 * {@code last_seq}) or, without it, at {@code last_seq}; {@code replayed} is what lies between, up to the
 * replay limit, and when more was missed the subscription is bounded there ({@code complete: false}) until
 * the client subscribes again.
 */
final class RecordedSubscriptions implements SessionSubscriptions {
    private final Node node;
    private final User user;
    private final String session;
    private boolean changed;

    RecordedSubscriptions(Node node, User user, String session) {
        this.node = node;
        this.user = user;
        this.session = session;
    }

    /** @return whether a command changed the record (the session's reader must be told) */
    boolean changed() {
        return changed;
    }

    @Override
    public ServerEvent.Subscribed subscribe(RoomId room, OptionalLong after) {
        node.manageRooms().subscribable(user, room); // members only, as on a live session
        Planned plan = plan(room, after);
        int max = node.maxSubscriptions();
        boolean[] refused = new boolean[1];
        change(current -> {
            // decided on the record being replaced, so that concurrent posts cannot pass the limit together
            refused[0] = !current.subscriptions().containsKey(room) && current.subscriptions().size() >= max;
            if (refused[0]) {
                return current;
            }
            Map<RoomId, Subscription> subscriptions = new HashMap<>(current.subscriptions());
            subscriptions.put(room, plan.subscription(Versions.next(current, 0)));
            Set<RoomId> excluded = new HashSet<>(current.excluded());
            excluded.remove(room);
            return current.withSubscriptions(current.inbox(), subscriptions, excluded);
        });
        if (refused[0]) {
            node.metrics().limitRefused(SessionSubscriptions.LIMIT);
            throw SessionSubscriptions.tooMany(max);
        }
        return plan.ack(room);
    }

    @Override
    public List<ServerEvent.Subscribed> subscribeInbox(Map<RoomId, Long> after) {
        Map<RoomId, Planned> plans = new HashMap<>();
        List<ServerEvent.Subscribed> acks = new ArrayList<>();
        for (RoomId room : node.rooms().roomsOf(user.id())) {
            Long seq = after.get(room);
            Planned plan = plan(room, seq == null ? OptionalLong.empty() : OptionalLong.of(seq));
            plans.put(room, plan);
            acks.add(plan.ack(room));
        }
        change(current -> {
            Map<RoomId, Subscription> subscriptions = new HashMap<>(current.subscriptions());
            int index = 0;
            for (Map.Entry<RoomId, Planned> plan : plans.entrySet()) {
                subscriptions.put(plan.getKey(), plan.getValue().subscription(Versions.next(current, index++)));
            }
            return current.withSubscriptions(true, subscriptions, Set.of());
        });
        return acks;
    }

    @Override
    public void unsubscribe(RoomId room) {
        change(current -> {
            Map<RoomId, Subscription> subscriptions = new HashMap<>(current.subscriptions());
            subscriptions.remove(room);
            Set<RoomId> excluded = new HashSet<>(current.excluded());
            if (current.inbox()) {
                excluded.add(room);
            }
            return current.withSubscriptions(current.inbox(), subscriptions, excluded);
        });
    }

    @Override
    public void unsubscribeInbox() {
        change(current -> current.withSubscriptions(false, Map.of(), Set.of()));
    }

    private Planned plan(RoomId room, OptionalLong after) {
        long last = node.log().lastSeq(room);
        long start = after.isPresent() ? Math.min(after.getAsLong(), last) : last;
        long missed = last - start;
        int limit = node.replayLimit();
        return new Planned(start, last, Math.min(missed, limit), missed <= limit);
    }

    private void change(UnaryOperator<ResumableSession> change) {
        if (node.records().update(session, change).isEmpty()) {
            throw ParleyException.notFound("the session expired: open a new one");
        }
        changed = true;
    }

    private record Planned(long start, long last, long replayed, boolean complete) {
        Subscription subscription(long version) {
            return new Subscription(version, start, complete ? OptionalLong.empty() : OptionalLong.of(start + replayed),
                    false);
        }

        ServerEvent.Subscribed ack(RoomId room) {
            return new ServerEvent.Subscribed(room, last, replayed, complete);
        }
    }
}
