-- An append-only log of changes to confirmed tags (issue 10 item 7: theme counts right after a tag
-- changes). The confirmed tags are held in memory per consultation (db/confirmed-tags.ts) and kept
-- current by reading the pairs logged here since they were last read, as the answer matrix is kept
-- current from response_events, instead of reading every confirmed tag again after each change.
--
-- A row names a (comment, theme) pair whose confirmed tag may have come, gone, or had its quote
-- pick changed; the reader looks the pair up again. Triggers write it, so every path (a tag by
-- hand, a bulk action and its undo, a merge, a theme or a response deleted by cascade) is logged.
-- When a cascade deletes a tag, its comment or its theme is already gone: the consultation comes
-- from whichever is left. AUTOINCREMENT: ids never go back, even when old rows are pruned.
CREATE TABLE tag_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id INTEGER,
  comment_id INTEGER NOT NULL,
  theme_id INTEGER NOT NULL
) STRICT;
CREATE INDEX tag_changes_consultation ON tag_changes(consultation_id, id);

CREATE TRIGGER tag_changes_added AFTER INSERT ON tags
  WHEN NEW.confirmed = 1
BEGIN
  INSERT INTO tag_changes (consultation_id, comment_id, theme_id)
    VALUES ((SELECT consultation_id FROM comments WHERE id = NEW.comment_id), NEW.comment_id, NEW.theme_id);
END;

CREATE TRIGGER tag_changes_changed AFTER UPDATE OF confirmed, quote, comment_id, theme_id ON tags
  WHEN NEW.confirmed <> OLD.confirmed OR (NEW.confirmed = 1 AND NEW.quote <> OLD.quote)
    OR NEW.comment_id <> OLD.comment_id OR NEW.theme_id <> OLD.theme_id
BEGIN
  INSERT INTO tag_changes (consultation_id, comment_id, theme_id)
    VALUES ((SELECT consultation_id FROM comments WHERE id = OLD.comment_id), OLD.comment_id, OLD.theme_id);
  INSERT INTO tag_changes (consultation_id, comment_id, theme_id)
    SELECT (SELECT consultation_id FROM comments WHERE id = NEW.comment_id), NEW.comment_id, NEW.theme_id
     WHERE NEW.comment_id <> OLD.comment_id OR NEW.theme_id <> OLD.theme_id;
END;

CREATE TRIGGER tag_changes_removed AFTER DELETE ON tags
  WHEN OLD.confirmed = 1
BEGIN
  INSERT INTO tag_changes (consultation_id, comment_id, theme_id)
    VALUES (
      coalesce(
        (SELECT consultation_id FROM comments WHERE id = OLD.comment_id),
        (SELECT consultation_id FROM themes WHERE id = OLD.theme_id)
      ),
      OLD.comment_id,
      OLD.theme_id
    );
END;
