-- Reactions: one row per (message, emoji, user), with the seq of the event that added it (the order emoji
-- are listed in). Deleting a message deletes its reactions. History counts a page's reactions by the key's
-- prefix (room, message); the events are 'react' and 'unreact' (data holds the emoji).
CREATE TABLE reactions (
    room_id    varchar(128) NOT NULL,
    message_id varchar(128) NOT NULL,
    emoji      varchar(64)  NOT NULL,
    user_id    varchar(128) NOT NULL,
    seq        bigint       NOT NULL,
    PRIMARY KEY (room_id, message_id, emoji, user_id)
);

ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('message', 'edit', 'delete', 'join', 'leave', 'read', 'room', 'role', 'ban', 'unban', 'react',
                    'unreact')) NOT VALID;
