import { z } from "zod";
import { dateTimeFields } from "../date-fields.js";

const text = (max: number) => z.string().max(max).default("");

/** The consultation's own details: what respondents read first, and when it runs. */
export const detailsSchema = z.strictObject({
  title: text(1000),
  summary: text(20_000),
  proposals: text(60_000),
  audience: text(2000),
  promotion: text(10_000),
  ...dateTimeFields("opens"),
  ...dateTimeFields("closes"),
  _csrf: z.string().optional(),
});
export type DetailsForm = z.infer<typeof detailsSchema>;

/** Lines typed into a box, blank ones left out. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
