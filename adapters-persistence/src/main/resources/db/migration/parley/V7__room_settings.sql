-- Room settings (RoomSettings): a topic, a picture, the embedding product's metadata and the archived flag,
-- kept on the room row beside its name and visibility; and room_updated events ('room'), whose settings
-- snapshot is the event's data. Adding a column with a constant default rewrites no row.
ALTER TABLE rooms
    ADD COLUMN topic      varchar(2000),
    ADD COLUMN avatar_url varchar(8192),
    ADD COLUMN metadata   jsonb   NOT NULL DEFAULT '{}',
    ADD COLUMN archived   boolean NOT NULL DEFAULT false;

-- An event's payload that has no column of its own, as JSON: a room_updated event's settings and the names
-- of those it changed. NULL for every other kind.
ALTER TABLE events ADD COLUMN data jsonb;

-- The kinds allowed grow by 'room'. NOT VALID: new rows are checked, the existing ones are not scanned again
-- (they passed the narrower check), so the migration takes its lock on events only for a moment.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('message', 'edit', 'delete', 'join', 'leave', 'read', 'room')) NOT VALID;
