-- From now on a closed consultation's public report, "we did" entries and theme counts wait until
-- an editor publishes its results (issue 12, item 3), not only until it closes. Consultations
-- that had closed before this migration already had their reports public: they are marked as
-- published when they closed, so nothing the public could read disappears.
UPDATE consultations SET results_published_at = closes_at
 WHERE results_published_at IS NULL AND stage <> 'draft'
   AND closes_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
