-- Direct conversations (DirectPair): a room whose id is derived from its two people, who are named on its row
-- in canonical order (the smaller id first). NULL for every other room. Nothing to backfill.
ALTER TABLE rooms
    ADD COLUMN direct_first  varchar(128),
    ADD COLUMN direct_second varchar(128),
    ADD CONSTRAINT rooms_direct_pair_check CHECK ((direct_first IS NULL) = (direct_second IS NULL)
                                                  AND (direct_first IS NULL OR direct_first < direct_second));

-- Display names as the users' tokens last gave them, to list the other person of a direct conversation by
-- name. Written when a user lists their rooms, creates a room or opens a conversation, and only when the name
-- changed since this node last wrote it.
CREATE TABLE users (
    user_id      varchar(128)  NOT NULL PRIMARY KEY,
    display_name varchar(1000) NOT NULL,
    updated_at   timestamptz   NOT NULL DEFAULT now()
);
