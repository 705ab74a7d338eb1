-- Demo consultations are marked, so that they say "demo" wherever they show and real data is never
-- taken for them. The demo is loaded only into a database being created (server/database.ts); a
-- consultation that existed before this migration is not marked, because nothing here can tell a
-- demo from a real consultation that happens to use a demo's slug.
ALTER TABLE consultations ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1));
