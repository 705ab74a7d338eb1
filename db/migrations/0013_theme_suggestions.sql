-- Comment themes, part 2: officers' rejections kept as answers, bulk undo that also takes back the
-- confirmations it made, and the models that learn from the officers' coding.

-- An officer said a theme does not fit a comment (removed its tag, or rejected a rule's or a
-- model's suggestion). Kept so the model learns from it as a negative, and so that neither a model
-- nor a rule nor a bulk action puts the theme back; an officer applying it by hand lifts it.
CREATE TABLE tag_rejections (
  comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('officer', 'rule', 'model')),
  score REAL,
  officer_id INTEGER REFERENCES officers(id),
  rejected_at TEXT NOT NULL,
  PRIMARY KEY (theme_id, comment_id)
) STRICT;
CREATE INDEX tag_rejections_comment ON tag_rejections(comment_id);

-- The batch whose bulk action confirmed a tag that was already there unconfirmed (a rule's or a
-- model's), so that undoing the batch makes it unconfirmed again instead of leaving it confirmed.
ALTER TABLE tags ADD COLUMN confirmed_batch_id INTEGER REFERENCES tag_batches(id) ON DELETE SET NULL;
CREATE INDEX tags_confirmed_batch ON tags(confirmed_batch_id) WHERE confirmed_batch_id IS NOT NULL;

-- A trained classifier of a consultation's comments. training: the officers' decisions it learned
-- from, as JSON [[comment id, theme id, 1 or -1], ...]; themes: the theme ids in the order of the
-- model's labels; model: the classifier's arrays (analysis/themes/model-bytes.ts); agreement: the
-- cross-validated agreement per theme, as JSON. The newest row is the one in use.
CREATE TABLE theme_models (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  confirmed_tags INTEGER NOT NULL,
  themes TEXT NOT NULL,
  training TEXT NOT NULL,
  model BLOB NOT NULL,
  agreement TEXT NOT NULL DEFAULT '{}',
  train_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX theme_models_consultation ON theme_models(consultation_id, id);
