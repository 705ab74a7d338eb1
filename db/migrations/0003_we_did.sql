-- "We asked, you said, we did": the council's response to each point raised in a consultation, as
-- officers write it. Entries are shown in `position` order; they are published on the public
-- consultation page (and in the summary report) once the consultation has closed, so no flag is kept.
CREATE TABLE we_did_entries (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  we_asked TEXT NOT NULL CHECK (length(we_asked) BETWEEN 1 AND 500),
  you_said TEXT NOT NULL CHECK (length(you_said) BETWEEN 1 AND 5000),
  we_did TEXT NOT NULL CHECK (length(we_did) BETWEEN 1 AND 5000),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX we_did_entries_consultation ON we_did_entries(consultation_id, position);
