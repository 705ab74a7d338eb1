-- The officers' audit trail (issue 12, item 6): one row per action that changes data or access,
-- append-only (the triggers refuse any change or deletion), readable and filterable by admins.
-- Who acted is kept by id and, as written at the time, by email: the trail outlives the account.
-- Nothing a respondent wrote goes in `detail`: a withdrawal records its reference and reason only.
-- (Theme coding keeps its own trail, theme_audit, from migration 0006.)
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  officer_id INTEGER,
  officer_email TEXT,
  action TEXT NOT NULL,
  consultation_id INTEGER,
  consultation_slug TEXT,
  subject TEXT,
  detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_events_action ON audit_events(action, id);
CREATE INDEX audit_events_officer ON audit_events(officer_email COLLATE NOCASE, id);
CREATE INDEX audit_events_consultation ON audit_events(consultation_slug, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
