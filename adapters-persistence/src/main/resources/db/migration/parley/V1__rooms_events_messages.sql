-- Parley's PostgreSQL schema. adapters-persistence/README.md explains every table and index.

-- One row per room. last_seq is the room's seq counter: every append updates it in the transaction that
-- inserts the event, so the row lock serialises writers of one room (on every node) and nothing else.
-- fillfactor leaves room on each page so the counter update is a HOT update (last_seq is not indexed).
CREATE TABLE rooms (
    room_id       varchar(128)  NOT NULL PRIMARY KEY,
    name          varchar(1000) NOT NULL,
    visibility    varchar(8)    NOT NULL CHECK (visibility IN ('open', 'private')),
    owner_id      varchar(128)  NOT NULL,
    created_at    timestamptz   NOT NULL,
    last_seq      bigint        NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_event_at timestamptz   NOT NULL
) WITH (fillfactor = 70);

-- The log: every event of every room, as appended, keyed by (room, seq). The primary key serves replay
-- (seq > after, in order). user_id is the author, member or reader, depending on the kind.
CREATE TABLE events (
    room_id        varchar(128)  NOT NULL,
    seq            bigint        NOT NULL CHECK (seq > 0),
    kind           varchar(8)    NOT NULL CHECK (kind IN ('message', 'edit', 'delete', 'join', 'leave', 'read')),
    at             timestamptz   NOT NULL,
    user_id        varchar(128),
    message_id     varchar(128),
    author_name    varchar(1000),
    body           text          CHECK (char_length(body) <= 100000),
    attachment_url varchar(8192),
    up_to          bigint,
    PRIMARY KEY (room_id, seq)
);

-- Messages in their current state (edited body, tombstones). The primary key serves history pages in
-- both directions and the unread counts (a range scan above the read marker).
CREATE TABLE messages (
    room_id        varchar(128)  NOT NULL,
    seq            bigint        NOT NULL CHECK (seq > 0),
    message_id     varchar(128)  NOT NULL,
    author_id      varchar(128)  NOT NULL,
    author_name    varchar(1000) NOT NULL,
    body           text          NOT NULL CHECK (char_length(body) <= 100000),
    attachment_url varchar(8192),
    client_id      varchar(1000),
    sent_at        timestamptz   NOT NULL,
    edited_at      timestamptz,
    deleted        boolean       NOT NULL DEFAULT false,
    PRIMARY KEY (room_id, seq),
    CONSTRAINT messages_room_message_key UNIQUE (room_id, message_id)
);

-- Idempotent sends: one message per (author, client id), whatever the room.
CREATE UNIQUE INDEX messages_author_client_key ON messages (author_id, client_id) WHERE client_id IS NOT NULL;

-- Current members. joined_seq orders a room's members by joining; a user who leaves loses the row.
CREATE TABLE memberships (
    room_id    varchar(128) NOT NULL REFERENCES rooms (room_id),
    user_id    varchar(128) NOT NULL,
    joined_seq bigint       NOT NULL,
    joined_at  timestamptz  NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

-- A user's rooms (room list, summaries) without touching other users' rows.
CREATE INDEX memberships_user_room_idx ON memberships (user_id, room_id);

-- Read markers outlive memberships: a user who leaves and comes back keeps their marker.
CREATE TABLE read_markers (
    room_id varchar(128) NOT NULL REFERENCES rooms (room_id),
    user_id varchar(128) NOT NULL,
    up_to   bigint       NOT NULL CHECK (up_to >= 0),
    PRIMARY KEY (room_id, user_id)
);
