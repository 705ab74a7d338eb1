import { z } from "zod";

const commentId = z.string().regex(/^\d{1,12}$/);

/**
 * The moderation queue's one form: approve the ticked comments, approve every comment shown, or
 * approve, withhold or send back one comment ("approve:12", "withhold:12", "pending:12").
 */
export const queueFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  action: z.string().regex(/^(?:approve-selected|approve-shown|(?:approve|withhold|pending):\d{1,12})$/),
  ids: z.union([commentId, z.array(commentId).max(200)]).optional(),
  shown: z.union([commentId, z.array(commentId).max(200)]).optional(),
  show: z.enum(["pending", "approved", "withheld"]).default("pending"),
});

/** One comment's redaction: the spans to keep removed (their numbers), a phrase to remove too. */
export const editFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  action: z.enum(["approve", "save", "withhold"]),
  keep: z.union([z.string().regex(/^\d{1,4}$/), z.array(z.string().regex(/^\d{1,4}$/)).max(2000)]).optional(),
  add: z.string().max(500).default(""),
});

export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
