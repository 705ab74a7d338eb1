-- Campaigns and stances of a question's comments are written by a worker in short transactions,
-- so that a writer on the request loop never waits long for the database. Each run's rows now carry
-- the run's number, and readers see only the rows of the run recorded in comment_insight_runs.
-- That record changes in one statement once the run has written all its rows, so a page never
-- shows some comments in their new campaign and others still in their old one; the rows of
-- earlier runs are deleted afterwards.
ALTER TABLE comment_insight_runs ADD COLUMN run INTEGER NOT NULL DEFAULT 0;

CREATE TABLE campaign_members_by_run (
  comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  run INTEGER NOT NULL,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL,
  PRIMARY KEY (comment_id, run)
) STRICT;
INSERT INTO campaign_members_by_run (comment_id, run, consultation_id, item_id, group_id)
  SELECT comment_id, 0, consultation_id, item_id, group_id FROM campaign_members;
DROP TABLE campaign_members;
ALTER TABLE campaign_members_by_run RENAME TO campaign_members;
CREATE INDEX campaign_members_item ON campaign_members(consultation_id, item_id, run, group_id);

CREATE TABLE comment_stances_by_run (
  comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  run INTEGER NOT NULL,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  stance TEXT NOT NULL CHECK (stance IN ('supports', 'opposes', 'mixed')),
  score REAL NOT NULL,
  PRIMARY KEY (comment_id, run)
) STRICT;
INSERT INTO comment_stances_by_run (comment_id, run, consultation_id, item_id, stance, score)
  SELECT comment_id, 0, consultation_id, item_id, stance, score FROM comment_stances;
DROP TABLE comment_stances;
ALTER TABLE comment_stances_by_run RENAME TO comment_stances;
CREATE INDEX comment_stances_item ON comment_stances(consultation_id, item_id, run);
