package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import io.parley.adapters.persistence.jdbc.BatchState.MemberKey;
import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.EventDraft;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.UserId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Appends a batch of drafts in one database transaction (a batch of posts only takes the
 * {@link PostBatch fast path}), in the same few round trips however large the batch: lock the batch's
 * rooms (in one order everywhere, so batches never deadlock), read the state the drafts depend on (one
 * query per kind: memberships, read markers, messages by id; posts' client ids only after a unique index
 * said one was used before), write every change in one statement, commit. Seqs come from each room's
 * counter row, read under its lock and written back in the same transaction: a rollback leaves no gap, and
 * a writer on any node waits for the lock before it reads the counter.
 */
final class AppendTransaction {
    private static final String LOCK_ROOMS = """
            SELECT last_seq, %s FROM rooms WHERE room_id = ANY(?::varchar[]) AND deleted_at IS NULL
            ORDER BY room_id FOR NO KEY UPDATE""".formatted(Rows.ROOM_COLUMNS);
    private static final String MEMBERS = """
            SELECT room_id, user_id, role FROM memberships
            WHERE (room_id, user_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))""";
    private static final String BANS = """
            SELECT room_id, user_id FROM bans
            WHERE (room_id, user_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))""";
    /** How many users gave each emoji to the messages of the batch's reaction drafts. */
    private static final String REACTION_COUNTS = """
            SELECT room_id, message_id, emoji, count(*) AS users FROM reactions
            WHERE (room_id, message_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))
            GROUP BY room_id, message_id, emoji""";
    private static final String REACTIONS = """
            SELECT room_id, message_id, emoji, user_id FROM reactions
            WHERE (room_id, message_id, emoji, user_id)
                  IN (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]))""";
    private static final String MARKERS = """
            SELECT room_id, user_id, up_to FROM read_markers
            WHERE (room_id, user_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))""";
    private static final String MESSAGES_BY_ID = "SELECT " + Rows.MESSAGE_COLUMNS + ", m.client_id FROM "
            + Rows.MESSAGES + " WHERE (m.room_id, m.message_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))";
    /** The partial unique index on (author_id, client_id) serves this only with the IS NOT NULL. */
    private static final String MESSAGES_BY_CLIENT_ID = "SELECT " + Rows.MESSAGE_COLUMNS + ", m.client_id FROM "
            + Rows.MESSAGES + " WHERE m.client_id IS NOT NULL"
            + " AND (m.author_id, m.client_id) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))";
    /**
     * Every change of a batch in one statement; each part reads arrays that may be empty. A deleted
     * message's content leaves the log: its events stored before the batch lose it in
     * {@code forgotten_posts} (the {@code message} event, at the message's seq) and {@code forgotten_edits}
     * (by the partial index on edit events); its events of this batch, which those parts cannot see, are
     * inserted without it.
     */
    private static final String WRITE = """
            WITH new_events AS (
                INSERT INTO events (room_id, seq, kind, at, user_id, message_id, author_name, body, attachment_url, up_to,
                                    data, reply_to, mentions)
                SELECT room_id, seq, kind, at, user_id, message_id, author_name, body, attachment_url, up_to, data,
                       reply_to, string_to_array(mentions, E'\\n')
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::varchar[],
                            ?::varchar[], ?::text[], ?::varchar[], ?::bigint[], ?::jsonb[], ?::varchar[], ?::text[])
                     AS n (room_id, seq, kind, at, user_id, message_id, author_name, body, attachment_url, up_to, data,
                           reply_to, mentions)
            ), new_messages AS (
                INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, attachment_url,
                                      client_id, sent_at, edited_at, deleted, reply_to, mentions)
                SELECT room_id, seq, message_id, author_id, author_name, body, attachment_url, client_id, sent_at,
                       edited_at, deleted, reply_to, string_to_array(mentions, E'\\n')
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[],
                            ?::varchar[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::boolean[], ?::varchar[],
                            ?::text[])
                     AS n (room_id, seq, message_id, author_id, author_name, body, attachment_url, client_id, sent_at,
                           edited_at, deleted, reply_to, mentions)
            ), new_mentions AS (
                INSERT INTO mentions (room_id, user_id, seq)
                SELECT room_id, unnest(string_to_array(mentions, E'\\n')), seq
                FROM unnest(?::varchar[], ?::bigint[], ?::text[]) AS n (room_id, seq, mentions)
            ), changed_messages AS (
                UPDATE messages m
                SET body = c.body, attachment_url = c.attachment_url, edited_at = c.edited_at, deleted = c.deleted,
                    reply_to = CASE WHEN c.deleted THEN NULL ELSE m.reply_to END,
                    mentions = CASE WHEN c.deleted THEN NULL ELSE m.mentions END
                FROM unnest(?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::timestamptz[], ?::boolean[])
                     AS c (room_id, message_id, body, attachment_url, edited_at, deleted)
                WHERE m.room_id = c.room_id AND m.message_id = c.message_id
            ), forgotten_posts AS (
                UPDATE events e SET body = NULL, attachment_url = NULL, reply_to = NULL, mentions = NULL
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS d (room_id, seq, message_id)
                WHERE e.room_id = d.room_id AND e.seq = d.seq AND e.kind = 'message'
            ), forgotten_edits AS (
                UPDATE events e SET body = NULL
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS d (room_id, seq, message_id)
                WHERE e.kind = 'edit' AND e.room_id = d.room_id AND e.message_id = d.message_id
            ), reacted AS (
                INSERT INTO reactions (room_id, message_id, emoji, user_id, seq)
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[])
            ), unreacted AS (
                DELETE FROM reactions r
                USING unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]) AS u (room_id, message_id, emoji, user_id)
                WHERE r.room_id = u.room_id AND r.message_id = u.message_id AND r.emoji = u.emoji AND r.user_id = u.user_id
            ), forgotten_reactions AS (
                DELETE FROM reactions r USING unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS d (room_id, seq, message_id)
                WHERE r.room_id = d.room_id AND r.message_id = d.message_id
            ), forgotten_mentions AS (
                DELETE FROM mentions n USING unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS d (room_id, seq, message_id)
                WHERE n.room_id = d.room_id AND n.seq = d.seq
            ), joined AS (
                INSERT INTO memberships (room_id, user_id, joined_seq, joined_at, role)
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::timestamptz[], ?::varchar[])
                ON CONFLICT (room_id, user_id) DO UPDATE
                SET joined_seq = excluded.joined_seq, joined_at = excluded.joined_at, role = excluded.role
            ), roles AS (
                UPDATE memberships m SET role = c.role
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[]) AS c (room_id, user_id, role)
                WHERE m.room_id = c.room_id AND m.user_id = c.user_id
            ), banned AS (
                INSERT INTO bans (room_id, user_id, banned_by, banned_at)
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])
            ), unbanned AS (
                DELETE FROM bans b USING unnest(?::varchar[], ?::varchar[]) AS u (room_id, user_id)
                WHERE b.room_id = u.room_id AND b.user_id = u.user_id
            ), departed AS (
                DELETE FROM memberships m USING unnest(?::varchar[], ?::varchar[]) AS l (room_id, user_id)
                WHERE m.room_id = l.room_id AND m.user_id = l.user_id
            ), markers AS (
                INSERT INTO read_markers (room_id, user_id, up_to)
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[])
                ON CONFLICT (room_id, user_id) DO UPDATE SET up_to = excluded.up_to
            )
            UPDATE rooms r SET last_seq = c.last_seq, last_event_at = c.at,
                name = CASE WHEN c.updated THEN c.name ELSE r.name END,
                visibility = CASE WHEN c.updated THEN c.visibility ELSE r.visibility END,
                topic = CASE WHEN c.updated THEN c.topic ELSE r.topic END,
                avatar_url = CASE WHEN c.updated THEN c.avatar_url ELSE r.avatar_url END,
                metadata = CASE WHEN c.updated THEN c.metadata ELSE r.metadata END,
                archived = CASE WHEN c.updated THEN c.archived ELSE r.archived END,
                owner_id = coalesce(c.owner_id, r.owner_id)
            FROM unnest(?::varchar[], ?::bigint[], ?::timestamptz[], ?::boolean[], ?::varchar[], ?::varchar[],
                        ?::varchar[], ?::varchar[], ?::jsonb[], ?::boolean[], ?::varchar[])
                 AS c (room_id, last_seq, at, updated, name, visibility, topic, avatar_url, metadata, archived,
                       owner_id)
            WHERE r.room_id = c.room_id""";

    private final DbClient db;
    private final PostBatch posts;

    AppendTransaction(DbClient db) {
        this.db = db;
        this.posts = new PostBatch(db);
    }

    /**
     * A draft's fate: its outcome, or why it was refused.
     *
     * @param outcome what happened, when it was not refused
     * @param refusal why it was refused
     */
    record Result(Optional<AppendOutcome> outcome, Optional<ParleyException> refusal) {
    }

    /**
     * Appends the drafts in one transaction. A draft that the contract refuses (its room does not exist, its
     * message id is taken) gets its refusal and changes nothing; the others are committed together.
     *
     * @param drafts drafts, their times cut to microseconds, in the order to apply them
     * @return one result per draft, in the same order, all committed
     * @throws RuntimeException when the transaction failed; nothing of it was committed
     */
    List<Result> run(List<EventDraft> drafts) {
        if (drafts.stream().allMatch(EventDraft.Post.class::isInstance)) {
            return posts.run(drafts.stream().map(EventDraft.Post.class::cast).toList());
        }
        try {
            // Optimistic, as for posts alone: client ids are new almost always, so they are not looked up
            // unless a unique index says one was used before; then nothing was committed.
            return run(drafts, false);
        } catch (RuntimeException e) {
            if (!Failures.violates(e, PostBatch.CLIENT_ID_INDEX) && !Failures.violates(e, PostBatch.MESSAGE_ID_INDEX)) {
                throw e;
            }
            return run(drafts, true);
        }
    }

    private List<Result> run(List<EventDraft> drafts, boolean lookUpClientIds) {
        DbTransaction tx = db.transaction();
        try {
            BatchState state = load(tx, drafts, lookUpClientIds);
            List<Result> results = new ArrayList<>(drafts.size());
            for (EventDraft draft : drafts) {
                try {
                    results.add(new Result(Optional.of(state.apply(draft)), Optional.empty()));
                } catch (ParleyException refused) {
                    results.add(new Result(Optional.empty(), Optional.of(refused)));
                }
            }
            if (!state.events().isEmpty()) {
                tx.createUpdate(WRITE).params(writeParameters(state)).execute();
            }
            tx.commit();
            return results;
        } catch (RuntimeException e) {
            rollbackQuietly(tx);
            throw e;
        }
    }

    private static BatchState load(DbTransaction tx, List<EventDraft> drafts, boolean lookUpClientIds) {
        TreeSet<String> roomIds = new TreeSet<>();
        drafts.forEach(d -> roomIds.add(d.room().value()));
        Map<RoomId, Long> lastSeq = new HashMap<>();
        Map<RoomId, Room> rooms = new HashMap<>();
        tx.createQuery(LOCK_ROOMS).params(List.of((Object) roomIds.toArray(String[]::new))).execute()
                .forEach(row -> {
                    Room room = Rows.room(row);
                    lastSeq.put(room.id(), Rows.number(row, "last_seq"));
                    rooms.put(room.id(), room);
                });
        BatchState state = new BatchState(lastSeq, rooms);

        Columns memberKeys = new Columns(2);
        Columns banKeys = new Columns(2);
        Columns reactionMessages = new Columns(2);
        Columns reactionKeys = new Columns(4);
        Columns markerKeys = new Columns(2);
        Columns messageKeys = new Columns(2);
        Columns clientKeys = new Columns(2);
        for (EventDraft draft : drafts) {
            if (!state.hasRoom(draft.room())) {
                continue;
            }
            String room = draft.room().value();
            switch (draft) {
                case EventDraft.Post post -> post.clientId().filter(id -> lookUpClientIds)
                        .ifPresent(id -> clientKeys.add(post.author().id().value(), id));
                case EventDraft.Edit edit -> messageKeys.add(room, edit.messageId().value());
                case EventDraft.Delete delete -> messageKeys.add(room, delete.messageId().value());
                case EventDraft.Join join -> {
                    memberKeys.add(room, join.user().value());
                    banKeys.add(room, join.user().value());
                }
                case EventDraft.Leave leave -> memberKeys.add(room, leave.user().value());
                case EventDraft.Read read -> markerKeys.add(room, read.user().value());
                case EventDraft.UpdateRoom update -> {
                    // the locked room's row has its settings
                }
                case EventDraft.SetRole set -> memberKeys.add(room, set.user().value());
                case EventDraft.HandOver handOver -> {
                    memberKeys.add(room, handOver.from().value());
                    memberKeys.add(room, handOver.to().value());
                }
                case EventDraft.Ban ban -> {
                    memberKeys.add(room, ban.user().value());
                    banKeys.add(room, ban.user().value());
                }
                case EventDraft.Unban unban -> banKeys.add(room, unban.user().value());
                case EventDraft.React react -> {
                    messageKeys.add(room, react.messageId().value());
                    reactionMessages.add(room, react.messageId().value());
                    reactionKeys.add(room, react.messageId().value(), react.emoji(), react.user().value());
                }
                case EventDraft.Unreact unreact -> {
                    reactionMessages.add(room, unreact.messageId().value());
                    reactionKeys.add(room, unreact.messageId().value(), unreact.emoji(), unreact.user().value());
                }
            }
        }
        if (!memberKeys.isEmpty()) {
            tx.createQuery(MEMBERS).params(memberKeys.arrays()).execute()
                    .forEach(row -> state.loadMember(memberKey(row), Role.fromWire(Rows.string(row, "role"))));
        }
        if (!reactionMessages.isEmpty()) {
            tx.createQuery(REACTION_COUNTS).params(reactionMessages.arrays()).execute()
                    .forEach(row -> state.loadReactionCount(new BatchState.MessageKey(RoomId.of(Rows.string(row, "room_id")),
                            MessageId.of(Rows.string(row, "message_id"))), Rows.string(row, "emoji"),
                            (int) Rows.number(row, "users")));
            tx.createQuery(REACTIONS).params(reactionKeys.arrays()).execute()
                    .forEach(row -> state.loadReaction(new BatchState.ReactionKey(RoomId.of(Rows.string(row, "room_id")),
                            MessageId.of(Rows.string(row, "message_id")), Rows.string(row, "emoji"),
                            UserId.of(Rows.string(row, "user_id")))));
        }
        if (!banKeys.isEmpty()) {
            tx.createQuery(BANS).params(banKeys.arrays()).execute().forEach(row -> state.loadBan(memberKey(row)));
        }
        if (!markerKeys.isEmpty()) {
            tx.createQuery(MARKERS).params(markerKeys.arrays()).execute()
                    .forEach(row -> state.loadMarker(memberKey(row), Rows.number(row, "up_to")));
        }
        if (!messageKeys.isEmpty()) {
            tx.createQuery(MESSAGES_BY_ID).params(messageKeys.arrays()).execute()
                    .forEach(row -> state.loadMessage(Rows.message(row), Rows.optionalString(row, "client_id")));
        }
        if (!clientKeys.isEmpty()) {
            tx.createQuery(MESSAGES_BY_CLIENT_ID).params(clientKeys.arrays()).execute()
                    .forEach(row -> state.loadMessage(Rows.message(row), Rows.optionalString(row, "client_id")));
        }
        return state;
    }

    private static MemberKey memberKey(DbRow row) {
        return new MemberKey(RoomId.of(Rows.string(row, "room_id")),
                io.parley.domain.UserId.of(Rows.string(row, "user_id")));
    }

    private static List<Object> writeParameters(BatchState state) {
        Columns events = new Columns(13);
        for (RoomEvent event : state.events()) {
            String room = event.room().value();
            String kind = Rows.kind(event);
            String at = Rows.text(event.at());
            switch (event) {
                case RoomEvent.MessagePosted(Message m) when state.endsDeleted(m.room(), m.id()) -> events.add(room,
                        m.seq(), kind, at, m.author().value(), m.id().value(), m.authorName(), null, null, null, null,
                        null, null);
                case RoomEvent.MessagePosted(Message m) -> events.add(room, m.seq(), kind, at, m.author().value(),
                        m.id().value(), m.authorName(), m.body(), m.attachmentUrl().orElse(null), null, null,
                        m.replyTo().map(r -> r.id().value()).orElse(null), Rows.mentionsText(m.mentions()));
                case RoomEvent.MessageEdited e -> events.add(room, e.seq(), kind, at, null, e.messageId().value(),
                        null, state.endsDeleted(e.room(), e.messageId()) ? null : e.body(), null, null, null, null,
                        null);
                case RoomEvent.MessageDeleted e -> events.add(room, e.seq(), kind, at, null, e.messageId().value(),
                        null, null, null, null, null, null, null);
                case RoomEvent.MemberJoined e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null,
                        null, null, null, null, null, null);
                case RoomEvent.MemberLeft e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null,
                        null, null, null, null, null, null);
                case RoomEvent.ReadUpTo e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null, null,
                        null, e.upTo(), null, null, null);
                case RoomEvent.RoomUpdated e -> events.add(room, e.seq(), kind, at, e.by().value(), null, null, null,
                        null, null, Rows.updateData(e), null, null);
                case RoomEvent.RoleChanged e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null, null,
                        null, null, Rows.moderationData(e.by(), Optional.of(e.role())), null, null);
                case RoomEvent.MemberBanned e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null,
                        null, null, null, Rows.moderationData(e.by(), Optional.empty()), null, null);
                case RoomEvent.MemberUnbanned e -> events.add(room, e.seq(), kind, at, e.user().value(), null, null,
                        null, null, null, Rows.moderationData(e.by(), Optional.empty()), null, null);
                case RoomEvent.ReactionAdded e -> events.add(room, e.seq(), kind, at, e.user().value(),
                        e.messageId().value(), null, null, null, null, Rows.reactionData(e.emoji()), null, null);
                case RoomEvent.ReactionRemoved e -> events.add(room, e.seq(), kind, at, e.user().value(),
                        e.messageId().value(), null, null, null, null, Rows.reactionData(e.emoji()), null, null);
                case RoomEvent.RoomDeleted e -> throw new IllegalStateException("a room is deleted by Rooms.delete");
            }
        }
        Columns posted = new Columns(13);
        Columns mentioned = new Columns(3);
        for (BatchState.Posted p : state.posted()) {
            Message m = p.message();
            posted.add(m.room().value(), m.seq(), m.id().value(), m.author().value(), m.authorName(), m.body(),
                    m.attachmentUrl().orElse(null), p.clientId().orElse(null), Rows.text(m.sentAt()),
                    Rows.text(m.editedAt().orElse(null)), m.deleted(), m.replyTo().map(r -> r.id().value()).orElse(null),
                    Rows.mentionsText(m.mentions()));
            if (!m.mentions().isEmpty()) {
                mentioned.add(m.room().value(), m.seq(), Rows.mentionsText(m.mentions()));
            }
        }
        Columns changed = new Columns(6);
        for (Message m : state.changed()) {
            changed.add(m.room().value(), m.id().value(), m.body(), m.attachmentUrl().orElse(null),
                    Rows.text(m.editedAt().orElse(null)), m.deleted());
        }
        Columns forgotten = new Columns(3);
        for (Message m : state.changed()) {
            if (m.deleted()) {
                forgotten.add(m.room().value(), m.seq(), m.id().value());
            }
        }
        Columns joined = new Columns(5);
        for (RoomEvent.MemberJoined j : state.joined()) {
            joined.add(j.room().value(), j.user().value(), j.seq(), Rows.text(j.at()),
                    state.roleOf(new MemberKey(j.room(), j.user())).wireName());
        }
        Columns roles = new Columns(3);
        state.changedRoles().forEach((k, role) -> roles.add(k.room().value(), k.user().value(), role.wireName()));
        Columns banned = new Columns(4);
        Columns unbanned = new Columns(2);
        Map<MemberKey, RoomEvent.MemberBanned> lastBans = new HashMap<>();
        for (RoomEvent event : state.events()) {
            if (event instanceof RoomEvent.MemberBanned b) {
                lastBans.put(new MemberKey(b.room(), b.user()), b);
            }
        }
        for (MemberKey key : state.addedBans()) {
            RoomEvent.MemberBanned b = lastBans.get(key);
            banned.add(b.room().value(), b.user().value(), b.by().value(), Rows.text(b.at()));
        }
        state.liftedBans().forEach(k -> unbanned.add(k.room().value(), k.user().value()));
        Columns reacted = new Columns(5);
        state.addedReactions().forEach((k, seq) -> reacted.add(k.room().value(), k.message().value(), k.emoji(),
                k.user().value(), seq));
        Columns unreacted = new Columns(4);
        state.removedReactions().forEach(k -> unreacted.add(k.room().value(), k.message().value(), k.emoji(),
                k.user().value()));
        Columns left = new Columns(2);
        for (MemberKey k : state.left()) {
            left.add(k.room().value(), k.user().value());
        }
        Columns markers = new Columns(3);
        state.movedMarkers().forEach((k, upTo) -> markers.add(k.room().value(), k.user().value(), upTo));
        Columns rooms = new Columns(11);
        for (RoomEvent latest : state.latestPerRoom()) {
            Optional<RoomSettings> updated = state.updatedSettings(latest.room());
            rooms.add(latest.room().value(), latest.seq(), Rows.text(latest.at()), updated.isPresent(),
                    updated.map(RoomSettings::name).orElse(null),
                    updated.map(u -> u.visibility().wireName()).orElse(null),
                    updated.flatMap(RoomSettings::topic).orElse(null), updated.flatMap(RoomSettings::avatarUrl).orElse(null),
                    updated.map(u -> Rows.metadataJson(u.metadata())).orElse(null),
                    updated.map(RoomSettings::archived).orElse(null),
                    state.newOwner(latest.room()).map(UserId::value).orElse(null));
        }
        List<Object> parameters = new ArrayList<>();
        for (Columns columns : List.of(events, posted, mentioned, changed, forgotten, forgotten, reacted, unreacted,
                forgotten, forgotten, joined, roles, banned, unbanned, left, markers, rooms)) {
            parameters.addAll(columns.arrays());
        }
        return parameters;
    }

    private static void rollbackQuietly(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            // The connection is gone or the transaction ended: nothing was committed either way.
        }
    }
}
