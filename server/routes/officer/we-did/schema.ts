import { z } from "zod";
import { WE_DID_LIMITS, type WeDidFields } from "../../../../db/we-did.js";

/**
 * The "we asked, you said, we did" form: save (add, or change when `id` is given), delete (only
 * with `confirm=yes`, from the confirmation page), publish or unpublish, or move an entry up or
 * down. Unknown fields are refused; a text field left out counts as left blank.
 */
export const weDidFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  action: z.enum(["save", "delete", "publish", "unpublish", "up", "down"]).default("save"),
  confirm: z.enum(["yes", "no"]).optional(),
  id: z
    .string()
    .regex(/^(?:\d{1,12})?$/)
    .default(""),
  weAsked: z.string().max(20_000).default(""),
  youSaid: z.string().max(20_000).default(""),
  weDid: z.string().max(20_000).default(""),
});

export type WeDidForm = z.infer<typeof weDidFormSchema>;

export interface FieldError {
  field: string;
  text: string;
}

const LABELS = { weAsked: "What we asked", youSaid: "What you said", weDid: "What we did" } as const;
const EMPTY = {
  weAsked: "Enter what we asked, or the topic respondents raised",
  youSaid: "Enter what respondents said",
  weDid: "Enter what the council did, or will do, in response",
} as const;

/** Check the texts; either the fields to store (trimmed) or one message per field to correct. */
export function checkEntry(form: WeDidForm): { fields?: WeDidFields; errors: FieldError[] } {
  const fields = { weAsked: form.weAsked.trim(), youSaid: form.youSaid.trim(), weDid: form.weDid.trim() };
  const errors: FieldError[] = [];
  for (const key of ["weAsked", "youSaid", "weDid"] as const) {
    if (fields[key] === "") errors.push({ field: key, text: EMPTY[key] });
    else if (fields[key].length > WE_DID_LIMITS[key])
      errors.push({
        field: key,
        text: `${LABELS[key]} must be ${WE_DID_LIMITS[key].toLocaleString("en-GB")} characters or fewer`,
      });
  }
  return errors.length > 0 ? { errors } : { fields, errors };
}
