-- Retention: the free text of a consultation's responses is deleted once its retention period has
-- passed (server/services/retention.ts). text_erased_at records when, so the job does each
-- consultation once and pages can say the comments are gone.
ALTER TABLE consultations ADD COLUMN text_erased_at TEXT;

-- Every run of the retention job (daily in the server, or `sounding retention run`), with what it
-- deleted per consultation (detail, JSON), so that what was deleted when can always be shown.
CREATE TABLE retention_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'command')),
  drafts_deleted INTEGER NOT NULL DEFAULT 0,
  texts_erased INTEGER NOT NULL DEFAULT 0,
  consultations_erased INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '[]',
  error TEXT
) STRICT;
