-- Indexes for the results dashboard (see tests/bench/results-queries.ts for the figures).
--
-- answers_text: the free-text answers of an item (and "Other, please specify" texts) by response,
-- newest first. Counting an item's texts and finding those of filtered respondents then reads
-- this small index instead of fetching every answer row of the item from the table to test
-- text_value. Partial, so it costs a write only for answers that carry a text (about one per
-- response), not for every answer row.
CREATE INDEX answers_text ON answers(item_id, response_id) WHERE text_value IS NOT NULL;
--
-- answers_number: an item's numbers, so that their count and mean read this index alone instead
-- of fetching every answer row of the item from the table. Partial: a write only for number answers.
CREATE INDEX answers_number ON answers(item_id, number_value) WHERE number_value IS NOT NULL;
--
-- responses_submitted_day: submitted responses by consultation, day and channel ("responses over
-- time" groups by day without sorting every response). Being narrower than
-- responses_consultation_submitted, it also serves counting a consultation's responses, which the
-- dashboard does for every question's base. One entry per submitted response.
CREATE INDEX responses_submitted_day ON responses(consultation_id, substr(submitted_at, 1, 10), channel)
  WHERE status = 'submitted';
