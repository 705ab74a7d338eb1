-- A submitted response an officer set aside as spam or a duplicate (issue 12, item 5): kept, with
-- why, who and when, but left out of the results, exports and the answer matrix until restored.
-- Marking and restoring write to response_events as a removal and a submission, so the held
-- answer matrices and every cache keyed on the log's newest event catch up as they do for a
-- withdrawal. The officer is kept by address, as the audit trail does, so removing an account
-- does not remove its marks.
CREATE TABLE response_marks (
  response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('spam', 'duplicate')),
  reason TEXT NOT NULL,
  marked_at TEXT NOT NULL,
  officer_email TEXT
) STRICT;

CREATE TRIGGER response_marks_set AFTER INSERT ON response_marks
BEGIN
  INSERT INTO response_events (consultation_id, response_id, kind)
    SELECT consultation_id, id, 'removed' FROM responses WHERE id = NEW.response_id AND status = 'submitted';
END;

-- Restored: after a withdrawal's cascade the response is gone, so the SELECT finds nothing.
CREATE TRIGGER response_marks_cleared AFTER DELETE ON response_marks
BEGIN
  INSERT INTO response_events (consultation_id, response_id, kind)
    SELECT consultation_id, id, 'submitted' FROM responses WHERE id = OLD.response_id AND status = 'submitted';
END;
