package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;
import io.parley.application.port.out.ResumableSession.Subscription;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.UserId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes an inbox session follow the rooms its user joins, starting with their {@code member_joined}
 * event, as a live WebSocket inbox does. A reader sees joins on the user's topic while it runs; rooms
 * joined while nobody read the session are found when the next reader opens (or when a running reader
 * learns that its session became an inbox, after it started listening to the user's topic), and their
 * {@code member_joined} is looked up among the room's latest events (if it is older than a batch, the
 * room is followed from now on, as an inbox subscribed afresh would). Rooms the client unsubscribed from
 * are left alone until the user joins them again.
 */
final class InboxFollower {
    private final Node node;
    private final UserId user;

    InboxFollower(Node node, UserId user) {
        this.node = node;
        this.user = user;
    }

    /** @return the updated record, when the user joined a room the session does not follow yet */
    Optional<ResumableSession> follow(ResumableSession record, RoomEvent.MemberJoined joined) {
        if (!needsFollowing(record, joined.room(), joined.seq())) {
            return Optional.empty();
        }
        return update(record, Map.of(joined.room(), joined.seq() - 1), true);
    }

    /** @return the updated record, when the user is a member of rooms the session does not follow yet */
    Optional<ResumableSession> followJoinedRooms(ResumableSession record) {
        Map<RoomId, Long> starts = new LinkedHashMap<>();
        for (RoomId room : node.rooms().roomsOf(user)) {
            if (!record.excluded().contains(room) && needsFollowing(record, room, Long.MAX_VALUE)) {
                starts.put(room, joinedAfter(room));
            }
        }
        return starts.isEmpty() ? Optional.empty() : update(record, starts, false);
    }

    private static boolean needsFollowing(ResumableSession record, RoomId room, long joinSeq) {
        Subscription sub = record.subscriptions().get(room);
        return record.inbox() && (sub == null || sub.left() && joinSeq > sub.until().orElseThrow());
    }

    /** The seq just before the user's latest {@code member_joined}, or the room's last seq if none is recent. */
    private long joinedAfter(RoomId room) {
        long last = node.log().lastSeq(room);
        int window = node.settings().batchSize();
        List<RoomEvent> recent = node.log().eventsAfter(room, Math.max(0, last - window), window);
        for (RoomEvent event : recent.reversed()) {
            if (event instanceof RoomEvent.MemberJoined joined && joined.user().equals(user)) {
                return joined.seq() - 1;
            }
        }
        return last;
    }

    private Optional<ResumableSession> update(ResumableSession record, Map<RoomId, Long> starts, boolean joined) {
        return node.records().update(record.id(), current -> {
            Map<RoomId, Subscription> subscriptions = new HashMap<>(current.subscriptions());
            Set<RoomId> excluded = new HashSet<>(current.excluded());
            int index = 0;
            for (Map.Entry<RoomId, Long> start : starts.entrySet()) {
                RoomId room = start.getKey();
                if (joined) {
                    excluded.remove(room); // joining again ends an unsubscribe, as on a live inbox
                } else if (excluded.contains(room)) {
                    continue;
                }
                if (needsFollowing(current, room, start.getValue() + 1)) {
                    subscriptions.put(room, Subscription.from(Versions.next(current, index++), start.getValue()));
                }
            }
            return current.withSubscriptions(current.inbox(), subscriptions, excluded);
        });
    }
}
