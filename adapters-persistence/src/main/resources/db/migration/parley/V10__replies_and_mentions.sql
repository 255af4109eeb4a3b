-- Replies and mentions. A message (and its 'message' event) names the message it answers (reply_to, a message
-- id of the same room) and the users it mentions; the preview of the parent is never stored, it is read from
-- the parent's current row, so it follows the parent's edits and deletion. Deleting a message clears both,
-- with its content.
ALTER TABLE messages
    ADD COLUMN reply_to varchar(128),
    ADD COLUMN mentions varchar(128)[];
ALTER TABLE events
    ADD COLUMN reply_to varchar(128),
    ADD COLUMN mentions varchar(128)[];

-- One row per user a live message mentions, for the room list's mention count: for one member and room, a
-- range scan of the key above the read marker, stopped at the cap as the unread count is.
CREATE TABLE mentions (
    room_id varchar(128) NOT NULL,
    user_id varchar(128) NOT NULL,
    seq     bigint       NOT NULL,
    PRIMARY KEY (room_id, user_id, seq)
);
