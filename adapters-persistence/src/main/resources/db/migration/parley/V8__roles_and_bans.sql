-- Roles and bans (Role, ModerationPolicy). A member's role is on their membership row; the owner's row says
-- 'owner' (rooms.owner_id names the same user), admins 'admin', everyone else 'member'. Rows of a populated
-- database get 'member' from the constant default (no rewrite) and the owners' rows are set below.
ALTER TABLE memberships
    ADD COLUMN role varchar(8) NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));

UPDATE memberships m SET role = 'owner'
FROM rooms r
WHERE r.room_id = m.room_id AND r.owner_id = m.user_id;

-- Who is banned from which room, by whom and since when. A ban outlives memberships: it is what stops the
-- user from joining again. The key serves the check on every join.
CREATE TABLE bans (
    room_id   varchar(128) NOT NULL REFERENCES rooms (room_id),
    user_id   varchar(128) NOT NULL,
    banned_by varchar(128) NOT NULL,
    banned_at timestamptz  NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

-- Role changes, hand-overs, bans and unbans are events ('role', 'ban', 'unban'): user_id is the member
-- concerned, data says who did it (and the new role). NOT VALID as in V7: new rows are checked.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('message', 'edit', 'delete', 'join', 'leave', 'read', 'room', 'role', 'ban', 'unban')) NOT VALID;
