-- Save and return: a draft's one-time code (only its hash) and, if the respondent gave one, the
-- e-mail address its link was sent to. Deleted when the code is used, or with the draft.
CREATE TABLE resume_codes (
  response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL UNIQUE,
  email TEXT CHECK (email IS NULL OR length(email) <= 254),
  created_at TEXT NOT NULL
) STRICT;

-- E-mail waiting to go (save-and-return links, receipts). A message is deleted once sent, so an
-- address and a copy of someone's answers stay no longer than it takes to deliver them; one that
-- keeps failing is retried with a growing delay, then given up. Never in the way of a submission.
CREATE TABLE mail_queue (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('resume', 'receipt')),
  response_id INTEGER REFERENCES responses(id) ON DELETE CASCADE,
  recipient TEXT NOT NULL CHECK (length(recipient) <= 254),
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at);
