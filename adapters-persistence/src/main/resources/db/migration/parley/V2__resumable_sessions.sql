-- Records of SSE and long-poll sessions (the ResumableSessions port), shared by every node.
-- adapters-persistence/README.md explains the table and its indexes.

-- One row per session. subscriptions is an object keyed by room id, each value
-- {"version": n, "start": n, "until": n (absent when unbounded), "left": bool}; excluded holds the rooms the
-- inbox does not follow. live_on is the node keeping the session live, NULL when it is not live. revision
-- is the optimistic-update counter: every update writes revision + 1 where the revision it read still holds.
CREATE TABLE resumable_sessions (
    id            varchar(128)   NOT NULL PRIMARY KEY,
    user_id       varchar(128)   NOT NULL,
    inbox         boolean        NOT NULL,
    subscriptions jsonb          NOT NULL CHECK (jsonb_typeof(subscriptions) = 'object'),
    excluded      varchar(128)[] NOT NULL,
    live_on       varchar(128),
    seen_until    timestamptz    NOT NULL,
    expires_at    timestamptz    NOT NULL,
    revision      bigint         NOT NULL CHECK (revision >= 0)
);

-- silent(): live sessions not seen since a time, oldest first, is a range scan of this partial index in
-- its order; sessions that are not live (most of them, most of the time) are not in it.
CREATE INDEX resumable_sessions_silent_idx ON resumable_sessions (seen_until, id) WHERE live_on IS NOT NULL;

-- removeExpired(): only sessions that are not live may be removed, so only they are indexed.
CREATE INDEX resumable_sessions_expiry_idx ON resumable_sessions (expires_at) WHERE live_on IS NULL;
