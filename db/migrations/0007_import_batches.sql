-- Imports are stored a slice at a time, so that a 50 MB file never holds the event loop or the
-- database for seconds, yet stay all or nothing. Each import is a batch: its responses are written
-- as drafts tagged with the batch (drafts are invisible to results, exports and the event log),
-- then made submitted once every row is stored. A batch still 'staging' when its process is gone is
-- deleted at the next start; one 'publishing' is finished (its file was accepted whole).
CREATE TABLE import_batches (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('staging', 'publishing')),
  -- The process that runs the import, so that a start-up only clears batches whose owner is gone.
  owner_pid INTEGER NOT NULL,
  started_at TEXT NOT NULL
) STRICT;

ALTER TABLE responses ADD COLUMN import_batch INTEGER REFERENCES import_batches(id);
CREATE INDEX responses_import_batch ON responses(import_batch) WHERE import_batch IS NOT NULL;

-- The answers and time of an imported row, hashed: the same form in two files is kept twice (each
-- file's rows are keyed by the file's hash and line), and listed for an officer to confirm.
ALTER TABLE responses ADD COLUMN content_hash TEXT;
CREATE INDEX responses_content_hash ON responses(consultation_id, content_hash) WHERE content_hash IS NOT NULL;
-- Until now the import key of a row without a reference was that same hash (the first of equal rows).
UPDATE responses SET content_hash = import_key WHERE import_key IS NOT NULL AND import_key NOT LIKE 'SND-%';
