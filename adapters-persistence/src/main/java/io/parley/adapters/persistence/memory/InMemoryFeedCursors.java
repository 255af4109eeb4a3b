package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.FeedCursors;
import io.parley.domain.RoomId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** {@link FeedCursors} in memory, beside an {@link InMemoryStore}'s rooms; one lock for all (cursor moves are rare). */
final class InMemoryFeedCursors implements FeedCursors {
    private record Key(String feed, RoomId room) {
    }

    private static final class Cursor {
        long seq;
        String holder;
        Instant heldUntil;

        Cursor(long seq) {
            this.seq = seq;
        }
    }

    private final Supplier<Map<RoomId, Long>> lastSeqs;
    private final Map<String, Boolean> feeds = new HashMap<>();
    private final Map<Key, Cursor> cursors = new HashMap<>();

    InMemoryFeedCursors(Supplier<Map<RoomId, Long>> lastSeqs) {
        this.lastSeqs = lastSeqs;
    }

    @Override
    public synchronized boolean register(String feed) {
        if (feeds.putIfAbsent(feed, true) != null) {
            return false;
        }
        // A cursor a claim already made stays where it is, as the JDBC store's ON CONFLICT DO NOTHING leaves it.
        lastSeqs.get().forEach((room, seq) -> cursors.putIfAbsent(new Key(feed, room), new Cursor(seq)));
        return true;
    }

    @Override
    public synchronized OptionalLong claim(String feed, RoomId room, String holder, Instant now, Instant until) {
        Cursor cursor = cursors.computeIfAbsent(new Key(feed, room), k -> new Cursor(0));
        if (cursor.holder != null && !cursor.holder.equals(holder) && !cursor.heldUntil.isBefore(now)) {
            return OptionalLong.empty();
        }
        cursor.holder = holder;
        cursor.heldUntil = until;
        return OptionalLong.of(cursor.seq);
    }

    @Override
    public synchronized boolean advance(String feed, RoomId room, String holder, long seq, Instant until) {
        Cursor cursor = cursors.get(new Key(feed, room));
        if (cursor == null || !holder.equals(cursor.holder) || seq < cursor.seq) {
            return false;
        }
        cursor.seq = seq;
        cursor.heldUntil = until;
        return true;
    }

    @Override
    public synchronized void release(String feed, RoomId room, String holder) {
        Cursor cursor = cursors.get(new Key(feed, room));
        if (cursor != null && holder.equals(cursor.holder)) {
            cursor.holder = null;
            cursor.heldUntil = null;
        }
    }

    @Override
    public List<RoomId> behind(String feed, int limit) {
        Map<RoomId, Long> last = lastSeqs.get();
        List<RoomId> behind = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<RoomId, Long> room : last.entrySet()) {
                Cursor cursor = cursors.get(new Key(feed, room.getKey()));
                if (room.getValue() > (cursor == null ? 0 : cursor.seq) && behind.size() < limit) {
                    behind.add(room.getKey());
                }
            }
        }
        return behind;
    }
}
