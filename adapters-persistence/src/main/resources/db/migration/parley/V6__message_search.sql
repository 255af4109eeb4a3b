-- Search of a user's messages (GET /v1/search): the words of each message's current body, for a GIN index.
-- ASCII punctuation becomes spaces first, so that words are runs of letters and digits (as the in-memory
-- store splits them), not the URLs, e-mail addresses and hyphenated compounds of PostgreSQL's parser; the
-- 'simple' configuration lower-cases them and drops nothing (no stemming, no stop words: chat is written
-- in any language). The expression must stay the one JdbcRoomLog.SEARCH_WORDS queries. Deleted messages
-- are never found, so they are not indexed.
CREATE INDEX messages_search_idx ON messages
    USING gin (to_tsvector('simple', translate(body, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                ')))
    WHERE NOT deleted;
