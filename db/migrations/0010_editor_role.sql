-- sounding: foreign_keys off
-- A fifth kind of account, "editor", builds and runs consultations (the builder). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt the way SQLite documents
-- (https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off, so that dropping
-- the old table does not cascade to sessions or null the officers named on tags and audit rows.
CREATE TABLE officers_new (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','editor','officer','analyst')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sign_in_at TEXT,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;
INSERT INTO officers_new (id, email, name, role, password_hash, created_at, last_sign_in_at, disabled)
  SELECT id, email, name, role, password_hash, created_at, last_sign_in_at, disabled FROM officers;
DROP TABLE officers;
ALTER TABLE officers_new RENAME TO officers;
