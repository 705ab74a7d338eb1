-- Moderation before publishing (issue 11): nothing a respondent wrote reaches a public page until
-- an officer has approved it. One row per comment that has been redacted: the spans removed from
-- the original (JSON [[start, end, kind], ...], found by analysis/redaction.ts and edited by the
-- officer), the redacted text they give, and the officer's decision. A comment without a row has
-- not been redacted yet and counts as waiting. The original stays in answers, for officers only.
CREATE TABLE comment_moderation (
  comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  redactions TEXT NOT NULL CHECK (json_valid(redactions)),
  redacted_text TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'withheld')),
  decided_at TEXT,
  decided_by INTEGER REFERENCES officers(id) ON DELETE SET NULL,
  redacted_at TEXT NOT NULL
) STRICT;
CREATE INDEX comment_moderation_decision ON comment_moderation(consultation_id, decision, comment_id);

-- Bumped by every change to a consultation's moderation, so a built public report knows it is stale.
CREATE TABLE moderation_versions (
  consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
  version INTEGER NOT NULL
) STRICT;

-- A comment whose text changes must be redacted and approved again. When the retention job erases
-- the text (to ''), an approved comment keeps its redacted form, as the privacy notice promises
-- ("approved redacted quotes" stay); anything not approved goes with the original.
CREATE TRIGGER comment_moderation_answer_edited AFTER UPDATE OF text_value ON answers
  WHEN OLD.text_value IS NOT NEW.text_value
BEGIN
  DELETE FROM comment_moderation
   WHERE comment_id IN (SELECT id FROM comments WHERE item_id = OLD.item_id AND response_id = OLD.response_id)
     AND NOT (coalesce(NEW.text_value, '') = '' AND decision = 'approved');
END;
