-- An admin resets an officer's password by giving them a one-time set-up link (issue 12, item 6).
-- Only the hex SHA-256 of the link's token is kept, with when it stops working; while it is set,
-- the old password no longer signs in.
ALTER TABLE officers ADD COLUMN setup_token_hash TEXT;
ALTER TABLE officers ADD COLUMN setup_expires_at TEXT;
CREATE UNIQUE INDEX officers_setup_token ON officers(setup_token_hash) WHERE setup_token_hash IS NOT NULL;
