-- Search of a user's messages (GET /v1/search), newest first, room by room.
--
-- The words of each message's current body, for a GIN index. ASCII punctuation becomes spaces first, so that
-- words are runs of letters and digits (as the in-memory store splits them), not the URLs, e-mail addresses
-- and hyphenated compounds of PostgreSQL's parser; the 'simple' configuration lower-cases them and drops
-- nothing (no stemming, no stop words: chat is written in any language). The expression must stay the one
-- JdbcRoomLog.SEARCH_WORDS queries. Not partial: the planner reads word frequencies only from the statistics
-- of a whole-table index, and a deleted message's empty body has no words to index anyway.
CREATE INDEX messages_search_idx ON messages
    USING gin (to_tsvector('simple', translate(body, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                ')));

-- A room's messages newest first: for a word found in most messages, the search reads each room backwards
-- from its newest message and stops at a page's worth, instead of collecting every match to sort it.
CREATE INDEX messages_room_time_idx ON messages (room_id, sent_at, seq);
