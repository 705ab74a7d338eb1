import { z } from "zod";
import { type ConditionSource, conditionFields } from "../condition-fields.js";

/** A page's own fields: its title, the paragraphs above its questions, and when it is shown. */
export const pageFormSchema = (sources: ConditionSource[]) =>
  z.strictObject({
    title: z.string().max(1000).default(""),
    id: z.string().max(200).default(""),
    content: z.string().max(60_000).default(""),
    ...conditionFields(sources),
    _csrf: z.string().optional(),
  });

export const newPageSchema = z.strictObject({
  title: z.string().max(1000).default(""),
  _csrf: z.string().optional(),
});

export const moveSchema = z.strictObject({ direction: z.enum(["up", "down"]), _csrf: z.string().optional() });
export const deleteSchema = z.strictObject({ _csrf: z.string().optional() });
