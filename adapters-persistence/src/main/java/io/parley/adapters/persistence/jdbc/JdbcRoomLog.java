package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.parley.application.port.out.AppendOutcome;
import io.parley.application.port.out.RoomLog;
import io.parley.domain.EventDraft;
import io.parley.domain.HistoryPage;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Reaction;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.parley.adapters.persistence.jdbc.JdbcRooms.call;

/** {@link RoomLog} on PostgreSQL: appends go through the group-commit queue, reads straight to the pool. */
final class JdbcRoomLog implements RoomLog {
    private static final String MESSAGE = "SELECT " + Rows.MESSAGE_COLUMNS + " FROM " + Rows.MESSAGES
            + " WHERE m.room_id = ? AND m.message_id = ?";
    private static final String BEFORE = "SELECT " + Rows.MESSAGE_COLUMNS + " FROM " + Rows.MESSAGES
            + " WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?";
    private static final String AFTER = "SELECT " + Rows.MESSAGE_COLUMNS + " FROM " + Rows.MESSAGES
            + " WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?";
    private static final String EVENTS_AFTER = "SELECT " + Rows.EVENT_COLUMNS + " FROM events e"
            + " LEFT JOIN messages p ON p.room_id = e.room_id AND p.message_id = e.reply_to"
            + " WHERE e.room_id = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.seq";
    private static final String LAST_SEQ = "SELECT last_seq FROM rooms WHERE room_id = ?";
    /** A history page's reactions, counted per emoji, each emoji in the order it was first given. */
    private static final String REACTION_COUNTS = """
            SELECT message_id, emoji, count(*) AS users, min(seq) AS first FROM reactions
            WHERE room_id = ? AND message_id = ANY(?::varchar[])
            GROUP BY message_id, emoji ORDER BY first""";
    private static final String REACTED_BY = """
            SELECT message_id, emoji FROM reactions
            WHERE room_id = ? AND user_id = ? AND message_id = ANY(?::varchar[]) ORDER BY seq""";
    /**
     * The words a message is found by: its body with ASCII punctuation made spaces, so that PostgreSQL's
     * parser sees runs of letters and digits as {@link SearchQuery#words} does (not URLs, e-mail addresses
     * or hyphenated words of its own), each lower-cased by the {@code simple} configuration. The expression of
     * the index {@code messages_search_idx} (migration V6): the two must stay the same.
     */
    static final String SEARCH_WORDS = "to_tsvector('simple', translate(m.body, "
            + "'!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~', '" + " ".repeat(32) + "'))";
    /**
     * One page of search results: each of the reader's rooms contributes its newest matches (at most a page),
     * and the page is cut from them. Per room the planner chooses by the word's frequency (the index's
     * statistics): for a common word it reads the room backwards on {@code messages_room_time_idx} and stops
     * at a page's worth; for a rare one it takes the matches from {@code messages_search_idx}.
     */
    private static final String SEARCH = "SELECT found.* FROM (SELECT room_id FROM memberships WHERE user_id = ?) r"
            + " CROSS JOIN LATERAL (SELECT " + Rows.MESSAGE_COLUMNS + " FROM " + Rows.MESSAGES
            + " WHERE m.room_id = r.room_id AND NOT m.deleted"
            + " AND " + SEARCH_WORDS + " @@ plainto_tsquery('simple', ?) {after}"
            + " ORDER BY m.sent_at DESC, m.seq DESC LIMIT ?) found"
            + " ORDER BY found.sent_at DESC, found.room_id DESC, found.seq DESC LIMIT ?";
    private static final String SEARCH_FIRST = SEARCH.replace("{after}", "");
    private static final String SEARCH_NEXT =
            SEARCH.replace("{after}", "AND (m.sent_at, m.room_id, m.seq) < (?::timestamptz, ?, ?)");

    private final DbClient db;
    private final AppendQueue queue;

    JdbcRoomLog(DbClient db, AppendQueue queue) {
        this.db = db;
        this.queue = queue;
    }

    @Override
    public AppendOutcome append(EventDraft draft) {
        return queue.append(withMicros(draft));
    }

    @Override
    public Optional<Message> message(RoomId room, MessageId messageId) {
        return call("reading the message", () -> db.execute().get(MESSAGE, room.value(), messageId.value())
                .map(Rows::message));
    }

    @Override
    public HistoryPage history(RoomId room, HistoryQuery query) {
        String sql = query.direction() == HistoryQuery.Direction.BACKWARD ? BEFORE : AFTER;
        // One row more than the page tells whether there is more.
        List<Message> rows = call("reading the history", () -> db.execute()
                .query(sql, room.value(), query.anchor(), query.limit() + 1)
                .map(Rows::message).toList());
        boolean more = rows.size() > query.limit();
        return new HistoryPage(withReactions(room, more ? rows.subList(0, query.limit()) : rows), more);
    }

    /** The messages with their reactions counted: one query for the page. */
    private List<Message> withReactions(RoomId room, List<Message> page) {
        if (page.isEmpty()) {
            return page;
        }
        String[] ids = page.stream().filter(m -> !m.deleted()).map(m -> m.id().value()).toArray(String[]::new);
        Map<MessageId, List<Reaction>> counted = new HashMap<>();
        call("reading the reactions", () -> {
            db.execute().createQuery(REACTION_COUNTS).params(List.of(room.value(), ids)).execute()
                    .forEach(row -> counted.computeIfAbsent(MessageId.of(Rows.string(row, "message_id")),
                            id -> new ArrayList<>()).add(new Reaction(Rows.string(row, "emoji"),
                            (int) Rows.number(row, "users"), false)));
            return null;
        });
        return counted.isEmpty() ? page : page.stream()
                .map(m -> counted.containsKey(m.id()) ? m.withReactions(counted.get(m.id())) : m).toList();
    }

    @Override
    public Map<MessageId, Set<String>> reactedBy(RoomId room, UserId reader, Collection<MessageId> messages) {
        if (messages.isEmpty()) {
            return Map.of();
        }
        String[] ids = messages.stream().map(MessageId::value).toArray(String[]::new);
        Map<MessageId, Set<String>> mine = new HashMap<>();
        call("reading the reactions", () -> {
            db.execute().createQuery(REACTED_BY).params(List.of(room.value(), reader.value(), ids)).execute()
                    .forEach(row -> mine.computeIfAbsent(MessageId.of(Rows.string(row, "message_id")),
                            id -> new LinkedHashSet<>()).add(Rows.string(row, "emoji")));
            return null;
        });
        return mine;
    }

    @Override
    public SearchPage search(UserId reader, SearchQuery query) {
        String words = String.join(" ", query.words());
        long rows = query.limit() + 1L;
        List<Object> params = query.after()
                .map(p -> List.<Object>of(reader.value(), words, Rows.text(p.sentAt()), p.room().value(), p.seq(),
                        rows, rows))
                .orElse(List.of(reader.value(), words, rows, rows));
        List<Message> found = call("searching the messages", () -> db.execute()
                .createQuery(query.after().isPresent() ? SEARCH_NEXT : SEARCH_FIRST).params(params).execute()
                .map(Rows::message).toList());
        return SearchPage.of(found, query.limit());
    }

    @Override
    public List<RoomEvent> eventsAfter(RoomId room, long after, int limit) {
        if (after < 0 || limit < 0) {
            throw ParleyException.invalid("after and limit must not be negative");
        }
        long upTo = after > Long.MAX_VALUE - limit ? Long.MAX_VALUE : after + limit;
        return call("reading the events", () -> db.execute().query(EVENTS_AFTER, room.value(), after, upTo)
                .map(Rows::event).toList());
    }

    @Override
    public long lastSeq(RoomId room) {
        return call("reading the last seq", () -> db.execute().get(LAST_SEQ, room.value())
                .map(row -> Rows.number(row, "last_seq")).orElse(0L));
    }

    /** Cuts the draft's time to what PostgreSQL keeps, so the appended event equals the stored one. */
    private static EventDraft withMicros(EventDraft draft) {
        return switch (draft) {
            case EventDraft.Post p -> new EventDraft.Post(p.room(), p.messageId(), p.author(), p.body(),
                    p.attachmentUrl(), p.clientId(), Rows.micros(p.at()), p.replyTo(), p.mentions());
            case EventDraft.Edit e -> new EventDraft.Edit(e.room(), e.messageId(), e.body(), Rows.micros(e.at()));
            case EventDraft.Delete d -> new EventDraft.Delete(d.room(), d.messageId(), Rows.micros(d.at()));
            case EventDraft.Join j -> new EventDraft.Join(j.room(), j.user(), Rows.micros(j.at()));
            case EventDraft.Leave l -> new EventDraft.Leave(l.room(), l.user(), Rows.micros(l.at()));
            case EventDraft.Read r -> new EventDraft.Read(r.room(), r.user(), r.upTo(), Rows.micros(r.at()));
            case EventDraft.UpdateRoom u -> new EventDraft.UpdateRoom(u.room(), u.by(), u.before(), u.after(),
                    Rows.micros(u.at()));
            case EventDraft.SetRole r -> new EventDraft.SetRole(r.room(), r.user(), r.role(), r.by(), Rows.micros(r.at()));
            case EventDraft.HandOver h -> new EventDraft.HandOver(h.room(), h.from(), h.to(), Rows.micros(h.at()));
            case EventDraft.Ban b -> new EventDraft.Ban(b.room(), b.user(), b.by(), Rows.micros(b.at()));
            case EventDraft.Unban u -> new EventDraft.Unban(u.room(), u.user(), u.by(), Rows.micros(u.at()));
            case EventDraft.React r -> new EventDraft.React(r.room(), r.messageId(), r.emoji(), r.user(),
                    Rows.micros(r.at()));
            case EventDraft.Unreact r -> new EventDraft.Unreact(r.room(), r.messageId(), r.emoji(), r.user(),
                    Rows.micros(r.at()));
        };
    }
}
