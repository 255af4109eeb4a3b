-- Revoked users (the Revocations port): a user's tokens issued before revoked_before are refused, on every
-- node. A revocation never moves back (the upsert keeps the later time).
CREATE TABLE revocations (
    user_id       varchar(128) NOT NULL PRIMARY KEY,
    revoked_before timestamptz NOT NULL
);

-- A connect ticket remembers when the token it stands for was issued, so that a ticket taken before a
-- revocation is refused after it. NULL for a token without iat.
ALTER TABLE connect_tickets ADD COLUMN token_issued_at timestamptz;
