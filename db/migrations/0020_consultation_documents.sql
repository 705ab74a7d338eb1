-- PDFs uploaded with the builder, served at /consultations/:slug/files/:id. The definition's
-- documents list links to them by that path, so its JSON stays the same for `definition load`.
CREATE TABLE consultation_files (
  id INTEGER PRIMARY KEY,
  consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  bytes BLOB NOT NULL,
  uploaded_at TEXT NOT NULL,
  uploaded_by TEXT
) STRICT;
CREATE INDEX consultation_files_consultation ON consultation_files(consultation_id);
