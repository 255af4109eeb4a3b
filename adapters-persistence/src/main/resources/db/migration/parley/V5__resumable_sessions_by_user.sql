-- Each new SSE or long-poll session counts its user's sessions (http-sessions.max-sessions-per-user) and ends
-- the ones used longest ago beyond the cap: find them by user without reading the whole table.
CREATE INDEX resumable_sessions_user_idx ON resumable_sessions (user_id, seen_until);
