-- How sure the latest theme model is about each comment nobody has coded yet: the smallest
-- log-odds distance between a theme's score and its threshold (NULL: no model, or coded). The
-- workbench's "the model is least sure" order lists the smallest first, so that each comment an
-- officer codes teaches the model most.
ALTER TABLE comments ADD COLUMN model_margin REAL;
CREATE INDEX comments_model_margin ON comments(item_id, model_margin) WHERE model_margin IS NOT NULL;
