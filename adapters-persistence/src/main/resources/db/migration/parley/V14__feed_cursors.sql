-- Event listeners' progress (the FeedCursors port): the room log is the outbox, each feed (a webhook endpoint,
-- an embedder's listener) keeps how far it has taken each room, and which node delivers the room now (a lease).
CREATE TABLE feeds (
    name          varchar(200) NOT NULL PRIMARY KEY,
    registered_at timestamptz  NOT NULL
);

CREATE TABLE feed_cursors (
    feed       varchar(200) NOT NULL,
    room_id    varchar(128) NOT NULL,
    seq        bigint       NOT NULL CHECK (seq >= 0),
    holder     varchar(64),
    held_until timestamptz,
    PRIMARY KEY (feed, room_id)
);
