-- Connect tickets (the ConnectTickets port): short-lived, single-use stand-ins for an access token in
-- WebSocket and SSE URLs, redeemable on any node. id is the SHA-256 of the ticket (base64url), never the
-- ticket itself. token_expires_at is NULL for a token without exp.
CREATE TABLE connect_tickets (
    id               varchar(64)  NOT NULL PRIMARY KEY,
    user_id          varchar(128) NOT NULL,
    display_name     text         NOT NULL,
    token_expires_at timestamptz,
    expires_at       timestamptz  NOT NULL
);

-- Expired tickets are swept by expiry.
CREATE INDEX connect_tickets_expiry_idx ON connect_tickets (expires_at);
