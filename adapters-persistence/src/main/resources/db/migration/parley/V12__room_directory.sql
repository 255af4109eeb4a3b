-- The directory of open rooms (GET /v1/directory): open, live rooms that are not direct conversations, by
-- lower-cased name then id, byte order. Partial, so it holds only what the directory lists; its columns
-- change rarely (a rename, an archive), so the appends' counter updates stay HOT updates.
CREATE INDEX rooms_directory_idx ON rooms ((lower(name) COLLATE "C"), (room_id COLLATE "C"))
    WHERE visibility = 'open' AND NOT archived AND direct_first IS NULL;
