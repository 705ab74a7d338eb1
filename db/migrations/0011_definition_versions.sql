-- Consultations change while live (issue 12): each save of a definition is a numbered version,
-- kept whole, and every response records the version it answered. Questions, statements and options
-- keep their rows (and so their ids) from one version to the next, so answers given to any version
-- are counted together.
ALTER TABLE consultations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The stage an editor has put a consultation in. 'live' ones are scheduled, open or closed by their
-- dates (in UK time on every page); 'draft' ones are seen only by officers; 'archived' ones are kept
-- but listed nowhere public. Consultations stored before this were all public.
ALTER TABLE consultations ADD COLUMN stage TEXT NOT NULL DEFAULT 'live' CHECK (stage IN ('draft', 'live', 'archived'));
ALTER TABLE consultations ADD COLUMN results_published_at TEXT;

CREATE TABLE consultation_versions (
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  definition_json TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  -- No foreign key: the history outlives the account that saved it.
  saved_by TEXT,
  -- What changed, in plain words, one line each (shown to respondents whose draft is carried over).
  changes TEXT NOT NULL,
  PRIMARY KEY (consultation_id, version)
) STRICT, WITHOUT ROWID;
INSERT INTO consultation_versions (consultation_id, version, definition_json, saved_at, saved_by, changes)
  SELECT id, 1, definition_json, updated_at, NULL, '' FROM consultations;

ALTER TABLE responses ADD COLUMN definition_version INTEGER NOT NULL DEFAULT 1;
