-- A log of submitted responses arriving and leaving, one row per event, in commit order.
--
-- The officer results are counted from per-consultation answer columns held in memory
-- (db/answer-matrix.ts), built once from the answers table and then brought up to date from this
-- log: the responses submitted (or deleted) since the last sequence number seen. Response ids do
-- not give that order (a draft gets its id when it starts, not when it is submitted), and
-- submitted_at can repeat. Triggers write the log, so online answers, imports and the CLI all keep
-- it without any code path having to remember to; the row is written in the same transaction as
-- the answers it announces.
CREATE TABLE response_events (
  seq INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL,
  response_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'removed'))
) STRICT;
CREATE INDEX response_events_consultation ON response_events(consultation_id, seq);

CREATE TRIGGER response_events_insert AFTER INSERT ON responses
  WHEN NEW.status = 'submitted'
BEGIN
  INSERT INTO response_events (consultation_id, response_id, kind) VALUES (NEW.consultation_id, NEW.id, 'submitted');
END;

CREATE TRIGGER response_events_submit AFTER UPDATE OF status ON responses
  WHEN NEW.status = 'submitted' AND OLD.status <> 'submitted'
BEGIN
  INSERT INTO response_events (consultation_id, response_id, kind) VALUES (NEW.consultation_id, NEW.id, 'submitted');
END;

CREATE TRIGGER response_events_delete AFTER DELETE ON responses
  WHEN OLD.status = 'submitted'
BEGIN
  INSERT INTO response_events (consultation_id, response_id, kind) VALUES (OLD.consultation_id, OLD.id, 'removed');
END;
