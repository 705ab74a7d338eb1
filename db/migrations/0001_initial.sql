-- Consultations keep their validated definition as JSON (the source of truth for rendering);
-- pages, questions, items and options are projected into tables so that answers can be counted
-- and filtered with indexes.
CREATE TABLE consultations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  definition_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE scales (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  scale_key TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (consultation_id, scale_key)
) STRICT;

CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  page_key TEXT NOT NULL,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  UNIQUE (consultation_id, page_key)
) STRICT;

CREATE TABLE questions (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  question_key TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('single','multiple','likert','grid','paired','text','number')),
  text TEXT NOT NULL,
  scale_id INTEGER REFERENCES scales(id),
  paired_set TEXT,
  phase TEXT CHECK (phase IN ('before','after')),
  UNIQUE (consultation_id, question_key)
) STRICT;
CREATE INDEX questions_page ON questions(page_id);

-- Every answerable thing is an item: a plain question has one item (statement_key NULL); a grid has
-- one per statement; each half of a paired set has one per statement, linked across halves by
-- statement_key so before and after answers can be paired per response.
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  statement_key TEXT,
  text TEXT,
  position INTEGER NOT NULL,
  UNIQUE (question_id, statement_key)
) STRICT;

-- Options of a choice question, or of the scale a Likert item uses (shared by the scale's items).
CREATE TABLE options (
  id INTEGER PRIMARY KEY,
  question_id INTEGER REFERENCES questions(id) ON DELETE CASCADE,
  scale_id INTEGER REFERENCES scales(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  position INTEGER NOT NULL,
  score REAL,
  grp TEXT CHECK (grp IN ('positive','neutral','negative','excluded')),
  is_other INTEGER NOT NULL DEFAULT 0,
  CHECK ((question_id IS NULL) <> (scale_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX options_question_code ON options(question_id, code) WHERE question_id IS NOT NULL;
CREATE UNIQUE INDEX options_scale_code ON options(scale_id, code) WHERE scale_id IS NOT NULL;

-- A response is a draft (answers held as JSON between pages, keyed by the respondent's cookie) until
-- it is submitted; submitting writes its answer rows, reference and time in one transaction.
CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('draft','submitted')),
  reference TEXT UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('online','paper','email','event')),
  draft_token TEXT UNIQUE,
  draft_json TEXT,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  -- Imports: a content hash per row so that importing a file twice adds nothing.
  import_key TEXT,
  CHECK (status = 'draft' OR (reference IS NOT NULL AND submitted_at IS NOT NULL))
) STRICT;
CREATE INDEX responses_consultation_submitted ON responses(consultation_id, submitted_at) WHERE status = 'submitted';
CREATE UNIQUE INDEX responses_import_key ON responses(consultation_id, import_key) WHERE import_key IS NOT NULL;

-- One row per answered item: an option (one row per ticked option of a multiple choice), a number or a text.
CREATE TABLE answers (
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  option_id INTEGER REFERENCES options(id),
  number_value REAL,
  text_value TEXT,
  CHECK (option_id IS NOT NULL OR number_value IS NOT NULL OR text_value IS NOT NULL)
) STRICT;
-- Covering index for counting one item's answers by option, and for finding the responses that
-- gave a particular answer (item, option) -> response ids, without touching the table.
CREATE INDEX answers_item_option_response ON answers(item_id, option_id, response_id);
-- A response's own answers (loading, exporting, deleting one response).
CREATE INDEX answers_response ON answers(response_id, item_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
