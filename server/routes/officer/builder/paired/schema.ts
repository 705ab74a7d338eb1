import { z } from "zod";

const text = (max: number) => z.string().max(max).default("");

/**
 * A before-and-after set: its statements and scale, the two moments as the results will say them,
 * and (when adding) the page and wording of each half.
 */
export const pairedFormSchema = z.strictObject({
  set: text(200),
  scale: text(100),
  statements: text(100_000),
  before: text(200),
  after: text(200),
  beforePage: text(100),
  afterPage: text(100),
  beforeText: text(5000),
  afterText: text(5000),
  required: text(5),
  _csrf: z.string().optional(),
});
export type PairedForm = z.infer<typeof pairedFormSchema>;
