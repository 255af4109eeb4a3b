package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.parley.adapters.persistence.jdbc.AppendTransaction.Result;
import io.parley.adapters.persistence.jdbc.BatchState.ClientKey;
import io.parley.adapters.persistence.jdbc.BatchState.MessageKey;
import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fast path for a batch of posts only, the bulk of the traffic: one statement, in its own transaction,
 * locks the rooms, moves their counters and inserts the events and messages, so a batch costs one round
 * trip. A post needs no other state: unlike a join or an edit it appends unless its client id was used
 * before. Client ids are assumed new; when the unique index says one was not (a retry of a stored post),
 * nothing was committed, and the batch runs again after looking its client ids up.
 *
 * <p>The rooms are locked first, in one order (the same as {@link AppendTransaction}'s), so batches never
 * deadlock. The counter update reads the row's latest committed version once the lock is held (PostgreSQL
 * re-evaluates an {@code UPDATE} against the newest row version), so seqs continue where the previous
 * holder of the lock, on any node, left off.
 */
final class PostBatch {
    private static final String EXISTING = "SELECT " + Rows.MESSAGE_COLUMNS + ", m.client_id FROM " + Rows.MESSAGES
            + " WHERE m.client_id IS NOT NULL"
            + " AND (m.author_id, m.client_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))";
    private static final String APPEND = """
            WITH locked AS MATERIALIZED (
                SELECT room_id FROM rooms WHERE room_id = ANY(?::varchar[]) AND deleted_at IS NULL
                ORDER BY room_id FOR NO KEY UPDATE
            ), bumped AS (
                UPDATE rooms r SET last_seq = r.last_seq + c.n, last_event_at = c.at
                FROM unnest(?::varchar[], ?::bigint[], ?::timestamptz[]) AS c (room_id, n, at), locked l
                WHERE r.room_id = c.room_id AND l.room_id = c.room_id
                RETURNING r.room_id, r.last_seq - c.n AS base
            ), posted AS (
                SELECT p.*, b.base + p.ordinal AS seq
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[],
                            ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::text[])
                     AS p (room_id, ordinal, message_id, author_id, author_name, body, attachment_url, client_id, at,
                           reply_to, mentions)
                JOIN bumped b ON b.room_id = p.room_id
            ), new_events AS (
                INSERT INTO events (room_id, seq, kind, at, user_id, message_id, author_name, body, attachment_url,
                                    reply_to, mentions)
                SELECT room_id, seq, 'message', at, author_id, message_id, author_name, body, attachment_url, reply_to,
                       string_to_array(mentions, E'\\n')
                FROM posted
            ), new_messages AS (
                INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, attachment_url,
                                      client_id, sent_at, reply_to, mentions)
                SELECT room_id, seq, message_id, author_id, author_name, body, attachment_url, client_id, at, reply_to,
                       string_to_array(mentions, E'\\n')
                FROM posted
            ), new_mentions AS (
                INSERT INTO mentions (room_id, user_id, seq)
                SELECT room_id, unnest(string_to_array(mentions, E'\\n')), seq FROM posted WHERE mentions IS NOT NULL
            )
            SELECT room_id, base FROM bumped""";

    /** The unique index behind idempotent sends. */
    static final String CLIENT_ID_INDEX = "messages_author_client_key";
    /** The unique index of message ids in a room. */
    static final String MESSAGE_ID_INDEX = "messages_room_message_key";

    private final DbClient db;

    PostBatch(DbClient db) {
        this.db = db;
    }

    /** What the batch decided for one post before writing. */
    private sealed interface Plan {
        /** To append, as the {@code ordinal}-th post of its room in this batch. */
        record Append(EventDraft.Post post, long ordinal) implements Plan {
        }

        /** A retry of an earlier post of this batch (same author and client id). */
        record RetryOf(int index) implements Plan {
        }

        /** Decided without writing. */
        record Decided(Result result) implements Plan {
        }
    }

    /**
     * Appends the posts in one transaction.
     *
     * @param posts posts, their times cut to microseconds
     * @return one result per post, in the same order, all committed
     * @throws RuntimeException when the statement failed; nothing was committed
     */
    List<Result> run(List<EventDraft.Post> posts) {
        try {
            // Optimistic: a client id is new almost always; the unique index tells when it was not.
            return run(posts, Map.of());
        } catch (RuntimeException e) {
            // A retry may also reuse its message id, and that index may be checked first.
            if (!Failures.violates(e, CLIENT_ID_INDEX) && !Failures.violates(e, MESSAGE_ID_INDEX)) {
                throw e;
            }
            return run(posts, existing(posts));
        }
    }

    private List<Result> run(List<EventDraft.Post> posts, Map<ClientKey, Message> existing) {
        List<Plan> plans = new ArrayList<>(posts.size());
        Map<ClientKey, Integer> firstByClientId = new HashMap<>();
        Map<MessageKey, Integer> firstByMessageId = new HashMap<>();
        Map<RoomId, Long> perRoom = new LinkedHashMap<>();
        Map<RoomId, EventDraft.Post> lastPerRoom = new LinkedHashMap<>();
        Columns rows = new Columns(11);
        for (int i = 0; i < posts.size(); i++) {
            EventDraft.Post post = posts.get(i);
            Optional<ClientKey> clientKey = post.clientId().map(id -> new ClientKey(post.author().id(), id));
            MessageKey messageKey = new MessageKey(post.room(), post.messageId());
            if (clientKey.map(existing::containsKey).orElse(false)) {
                plans.add(new Plan.Decided(done(new AppendOutcome.AlreadyPosted(existing.get(clientKey.get())))));
            } else if (clientKey.map(firstByClientId::containsKey).orElse(false)) {
                plans.add(new Plan.RetryOf(firstByClientId.get(clientKey.get())));
            } else if (firstByMessageId.containsKey(messageKey)) {
                plans.add(new Plan.Decided(refused(new ParleyException(ErrorCode.CONFLICT,
                        "message id " + post.messageId() + " is taken"))));
            } else {
                long ordinal = perRoom.merge(post.room(), 1L, Long::sum);
                lastPerRoom.put(post.room(), post);
                clientKey.ifPresent(k -> firstByClientId.put(k, plans.size()));
                firstByMessageId.put(messageKey, plans.size());
                plans.add(new Plan.Append(post, ordinal));
                rows.add(post.room().value(), ordinal, post.messageId().value(), post.author().id().value(),
                        post.author().displayName(), post.body(), post.attachmentUrl().orElse(null),
                        post.clientId().orElse(null), Rows.text(post.at()),
                        post.replyTo().map(r -> r.id().value()).orElse(null), Rows.mentionsText(post.mentions()));
            }
        }
        Map<RoomId, Long> bases = rows.isEmpty() ? Map.of() : append(perRoom, lastPerRoom, rows);
        List<Result> results = new ArrayList<>(posts.size());
        for (Plan plan : plans) {
            results.add(switch (plan) {
                case Plan.Decided decided -> decided.result();
                case Plan.Append append -> appended(append, bases);
                case Plan.RetryOf retry -> retryOf(results.get(retry.index()));
            });
        }
        return results;
    }

    private Map<ClientKey, Message> existing(List<EventDraft.Post> posts) {
        Columns keys = new Columns(2);
        posts.forEach(p -> p.clientId().ifPresent(id -> keys.add(p.author().id().value(), id)));
        Map<ClientKey, Message> found = new HashMap<>();
        if (!keys.isEmpty()) {
            db.execute().createQuery(EXISTING).params(keys.arrays()).execute().forEach(row -> {
                Message message = Rows.message(row);
                found.put(new ClientKey(message.author(), Rows.string(row, "client_id")), message);
            });
        }
        return found;
    }

    private Map<RoomId, Long> append(Map<RoomId, Long> perRoom, Map<RoomId, EventDraft.Post> lastPerRoom,
                                     Columns rows) {
        Columns counters = new Columns(3);
        perRoom.forEach((room, n) -> counters.add(room.value(), n, Rows.text(lastPerRoom.get(room).at())));
        List<Object> parameters = new ArrayList<>();
        parameters.add(perRoom.keySet().stream().map(RoomId::value).toArray(String[]::new));
        parameters.addAll(counters.arrays());
        parameters.addAll(rows.arrays());
        Map<RoomId, Long> bases = new HashMap<>();
        db.execute().createQuery(APPEND).params(parameters).execute()
                .forEach(row -> bases.put(RoomId.of(Rows.string(row, "room_id")), Rows.number(row, "base")));
        return bases;
    }

    private static Result appended(Plan.Append append, Map<RoomId, Long> bases) {
        Long base = bases.get(append.post().room());
        if (base == null) {
            return refused(ParleyException.notFound("room " + append.post().room() + " does not exist"));
        }
        return done(new AppendOutcome.Appended(append.post().toEvent(base + append.ordinal())));
    }

    private static Result retryOf(Result first) {
        return first.outcome()
                .map(o -> o instanceof AppendOutcome.Appended(RoomEvent.MessagePosted posted)
                        ? done(new AppendOutcome.AlreadyPosted(posted.message())) : done(o))
                .orElse(first);
    }

    private static Result done(AppendOutcome outcome) {
        return new Result(Optional.of(outcome), Optional.empty());
    }

    private static Result refused(ParleyException refusal) {
        return new Result(Optional.empty(), Optional.of(refusal));
    }
}
