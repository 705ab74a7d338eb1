-- A double-coded sample (issue 13, item 2): comments an officer has already coded, drawn at random
-- (seeded, so the draw can be repeated) for a second officer to code blind. The second codes live
-- here only, never in tags, so they change no count; they are compared with the comment's
-- confirmed tags to give the officer-versus-officer agreement beside the model's.
--
-- double_code_draws: each request for a sample (who asked, how many, the seed of the draw).
CREATE TABLE double_code_draws (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  officer_id INTEGER REFERENCES officers(id) ON DELETE SET NULL,
  size INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- One row per comment in a sample: a comment is drawn at most once. coded_at is set when a second
-- officer has coded it (their themes in double_code_tags; none means "no theme applies").
CREATE TABLE double_code_items (
  comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
  draw_id INTEGER NOT NULL REFERENCES double_code_draws(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  coded_by INTEGER REFERENCES officers(id) ON DELETE SET NULL,
  coded_at TEXT
) STRICT;
CREATE INDEX double_code_items_draw ON double_code_items(draw_id, position);

CREATE TABLE double_code_tags (
  comment_id INTEGER NOT NULL REFERENCES double_code_items(comment_id) ON DELETE CASCADE,
  theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
  PRIMARY KEY (comment_id, theme_id)
) STRICT;
