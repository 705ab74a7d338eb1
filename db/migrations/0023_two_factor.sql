-- Optional TOTP two-factor sign-in (issue 12, item 6). The shared secret is kept encrypted
-- (AES-256-GCM under a key derived from the app's secret), never shown again once set up.
-- totp_last_step is the time step of the last code accepted, so no code signs in twice.
-- totp_pending_secret holds a secret being set up until the officer confirms it with a code.
ALTER TABLE officers ADD COLUMN totp_secret TEXT;
ALTER TABLE officers ADD COLUMN totp_last_step INTEGER;
ALTER TABLE officers ADD COLUMN totp_pending_secret TEXT;

-- One-time recovery codes, for a lost phone: only their hex SHA-256 is kept, and using one deletes it.
CREATE TABLE officer_recovery_codes (
  officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (officer_id, code_hash)
) STRICT, WITHOUT ROWID;

-- A sign-in half done: the password was right, the code is still to come. The browser holds a
-- random token; its hex SHA-256 is the id. It lasts a few minutes and a few wrong codes.
CREATE TABLE two_factor_pending (
  id TEXT PRIMARY KEY,
  officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
