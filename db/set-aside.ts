/**
 * The one test of "this response counts" that every query over comments, tags and responses shares:
 * a response an officer set aside as spam or a duplicate (issue 12, item 5; table response_marks)
 * stays stored, with its comments and their tags, so restoring it brings all of it back, but it
 * leaves every count, list, quote, rule match, training set and suggestion until then.
 *
 * `responseId` is the SQL expression of the response's id in the caller's query (`c.response_id`,
 * `r.id`). The subquery's alias is unusual so that it cannot shadow one of the caller's.
 */
export const notSetAside = (responseId: string) =>
  `NOT EXISTS (SELECT 1 FROM response_marks set_aside WHERE set_aside.response_id = ${responseId})`;
