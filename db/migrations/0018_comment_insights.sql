-- Comment themes, part 2 (issue 13 items 5 and 6): campaigns of near-identical comments and the
-- stance of each comment, as last worked out by an officer's request (both are costly, so they are
-- computed in a worker and stored, and the dashboard and report read what was stored).

-- Whether a campaign counts once or once per respondent in a consultation's theme counts.
CREATE TABLE campaign_settings (
  consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
  counting TEXT NOT NULL CHECK (counting IN ('each', 'once')),
  changed_at TEXT NOT NULL,
  changed_by INTEGER REFERENCES officers(id)
) STRICT;

-- The comments of each campaign found: group_id is the comment id of its representative (the
-- first member), which is shown for the whole campaign and counted when a campaign counts once.
CREATE TABLE campaign_members (
  comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL
) STRICT;
CREATE INDEX campaign_members_item ON campaign_members(consultation_id, item_id, group_id);

-- When the campaigns or stances of a question's comments were last worked out, over how many.
CREATE TABLE comment_insight_runs (
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('campaigns', 'stance')),
  at TEXT NOT NULL,
  comments INTEGER NOT NULL,
  -- For stance: the closed question it was learned from, or '' for natural's sentiment analyser.
  detail TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (consultation_id, item_id, kind)
) STRICT;

CREATE TABLE comment_stances (
  comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  stance TEXT NOT NULL CHECK (stance IN ('supports', 'opposes', 'mixed')),
  score REAL NOT NULL
) STRICT;
CREATE INDEX comment_stances_item ON comment_stances(consultation_id, item_id);
