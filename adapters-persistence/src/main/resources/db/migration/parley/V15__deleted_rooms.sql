-- A deleted room keeps its row, as a tombstone: its id is not given out again, its counter keeps the seq of
-- its last event, and that event, 'gone' (room_deleted, user_id: who deleted it), is the only one left in its
-- log, for the event listeners that have not seen it yet. Its messages, other events, members, bans, read
-- markers, mentions and reactions are deleted with it.
ALTER TABLE rooms ADD COLUMN deleted_at timestamptz;

ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('message', 'edit', 'delete', 'join', 'leave', 'read', 'room', 'role', 'ban', 'unban', 'react',
                    'unreact', 'gone')) NOT VALID;
