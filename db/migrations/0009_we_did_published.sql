-- "We asked, you said, we did": officers now choose when each entry is published, instead of every
-- saved entry going public once the consultation has closed. Entries written before this were
-- already public (or would be at closing), so they start published, as of their last change.
ALTER TABLE we_did_entries ADD COLUMN published_at TEXT;
UPDATE we_did_entries SET published_at = updated_at;
