-- Officer accounts. Emails are unique whatever their case; passwords are stored only as argon2id
-- hashes in PHC string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash), which carry their own
-- parameters so that they can be raised later without a migration.
CREATE TABLE officers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','officer','analyst')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sign_in_at TEXT,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

-- Server-side sessions. The browser's cookie holds a random token; the id here is the hex SHA-256
-- of that token, so a copy of the database cannot be used to sign in as anyone.
-- expires_at is the absolute end of the session; the idle timeout is checked against last_seen_at.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  user_agent TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_officer ON sessions(officer_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
