-- Comment themes, part 1: each consultation's codebook, the tags that link comments to themes,
-- the officers' review state of each comment, bulk batches that can be undone, and an audit trail.
--
-- comments: one row per comment, i.e. one response's text to one item (a text question's answer,
-- or the "Other, please specify" text riding on a multiple choice's "other" row). Triggers on
-- answers keep it (and the full-text index) in step, so online answers, imports, the demo seed and
-- deletions all reach it without any code path remembering to. An explicit INTEGER PRIMARY KEY:
-- the full-text index is keyed by it, and VACUUM never renumbers it.
CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  reviewed_at TEXT,
  reviewed_by INTEGER REFERENCES officers(id),
  flagged_at TEXT,
  flagged_by INTEGER REFERENCES officers(id),
  flag_note TEXT CHECK (flag_note IS NULL OR length(flag_note) <= 1000),
  UNIQUE (item_id, response_id)
) STRICT;
CREATE INDEX comments_response ON comments(response_id);
CREATE INDEX comments_flagged ON comments(item_id, response_id) WHERE flagged_at IS NOT NULL;
CREATE INDEX comments_reviewed ON comments(item_id, response_id) WHERE reviewed_at IS NOT NULL;

-- Full-text search over the comments with the Porter stemmer. Contentless (the text stays only in
-- answers) with contentless_delete, so a comment's entry can be removed by its id alone.
CREATE VIRTUAL TABLE comment_search USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER comments_from_answer AFTER INSERT ON answers
  WHEN NEW.text_value IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO comments (consultation_id, item_id, response_id)
    SELECT consultation_id, NEW.item_id, NEW.response_id FROM responses WHERE id = NEW.response_id;
  INSERT INTO comment_search (rowid, text)
    SELECT id, NEW.text_value FROM comments WHERE item_id = NEW.item_id AND response_id = NEW.response_id;
END;

CREATE TRIGGER comments_answer_edited AFTER UPDATE OF text_value ON answers
BEGIN
  DELETE FROM comment_search
    WHERE rowid = (SELECT id FROM comments WHERE item_id = OLD.item_id AND response_id = OLD.response_id);
  DELETE FROM comments
    WHERE NEW.text_value IS NULL AND item_id = OLD.item_id AND response_id = OLD.response_id;
  INSERT OR IGNORE INTO comments (consultation_id, item_id, response_id)
    SELECT consultation_id, NEW.item_id, NEW.response_id FROM responses
     WHERE id = NEW.response_id AND NEW.text_value IS NOT NULL;
  INSERT INTO comment_search (rowid, text)
    SELECT id, NEW.text_value FROM comments
     WHERE NEW.text_value IS NOT NULL AND item_id = NEW.item_id AND response_id = NEW.response_id;
END;

CREATE TRIGGER comments_answer_deleted AFTER DELETE ON answers
  WHEN OLD.text_value IS NOT NULL
BEGIN
  DELETE FROM comments WHERE item_id = OLD.item_id AND response_id = OLD.response_id;
END;

-- However a comment goes (its answer deleted, its response or consultation deleted by cascade),
-- its search entry goes with it.
CREATE TRIGGER comments_deleted AFTER DELETE ON comments
BEGIN
  DELETE FROM comment_search WHERE rowid = OLD.id;
END;

-- The comments already stored.
INSERT INTO comments (consultation_id, item_id, response_id)
  SELECT r.consultation_id, a.item_id, a.response_id FROM answers a JOIN responses r ON r.id = a.response_id
   WHERE a.text_value IS NOT NULL
  ON CONFLICT DO NOTHING;
INSERT INTO comment_search (rowid, text)
  SELECT c.id, a.text_value FROM comments c
    JOIN answers a ON a.item_id = c.item_id AND a.response_id = c.response_id AND a.text_value IS NOT NULL;

-- A consultation's codebook. Names are unique in their consultation whatever their case; a theme
-- has at most one parent, itself without a parent (checked by the repository: one level only).
-- question_keys: a JSON array of the question ids it applies to; empty means every question with
-- comments. rules: one rule per line (see analysis/themes/rules.ts).
CREATE TABLE themes (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  name TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  parent_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
  question_keys TEXT NOT NULL DEFAULT '[]',
  rules TEXT NOT NULL DEFAULT '' CHECK (length(rules) <= 2000),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (consultation_id, name)
) STRICT;
CREATE INDEX themes_parent ON themes(parent_id) WHERE parent_id IS NOT NULL;

-- Bulk operations (a theme applied to a whole selection, a rule applied), so one can be undone.
CREATE TABLE tag_batches (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('bulk', 'rule')),
  description TEXT NOT NULL,
  tagged INTEGER NOT NULL,
  officer_id INTEGER REFERENCES officers(id),
  created_at TEXT NOT NULL,
  undone_at TEXT,
  undone_by INTEGER REFERENCES officers(id)
) STRICT;

-- A tag links one comment to one theme, whoever or whatever made it: an officer, a rule, or (part
-- 2) a model with its score. Counts use confirmed tags only. One tag per comment and theme, so two
-- officers applying the same theme at once make one tag (INSERT ... ON CONFLICT), and tags of
-- different themes never overwrite each other. quote: an officer picked it as a representative quote.
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('officer', 'rule', 'model')),
  score REAL,
  confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
  created_by INTEGER REFERENCES officers(id),
  created_at TEXT NOT NULL,
  confirmed_by INTEGER REFERENCES officers(id),
  confirmed_at TEXT,
  batch_id INTEGER REFERENCES tag_batches(id) ON DELETE SET NULL,
  quote INTEGER NOT NULL DEFAULT 0 CHECK (quote IN (0, 1)),
  UNIQUE (comment_id, theme_id)
) STRICT;
CREATE INDEX tags_theme ON tags(theme_id, confirmed, comment_id);
CREATE INDEX tags_batch ON tags(batch_id) WHERE batch_id IS NOT NULL;

-- A counter per consultation, raised by every change to its themes or tags (in the same
-- transaction), so theme counts held in memory know when to read the tags again.
CREATE TABLE theme_versions (
  consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
  version INTEGER NOT NULL
) STRICT;

-- Who changed what in a codebook and its tags, and when: append-only (the triggers refuse edits
-- and deletions), readable by admins. Not tied to the consultation by a foreign key, so it
-- outlives whatever it records.
CREATE TABLE theme_audit (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL,
  officer_id INTEGER,
  officer_name TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX theme_audit_consultation ON theme_audit(consultation_id, id);
CREATE TRIGGER theme_audit_no_update BEFORE UPDATE ON theme_audit
BEGIN
  SELECT RAISE(ABORT, 'the themes audit trail is append-only');
END;
CREATE TRIGGER theme_audit_no_delete BEFORE DELETE ON theme_audit
BEGIN
  SELECT RAISE(ABORT, 'the themes audit trail is append-only');
END;
