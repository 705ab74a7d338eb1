import { z } from "zod";
import { IMPORT_CHANNELS } from "../../../services/response-import.js";

/** The text fields of the import form (the file comes separately); unknown fields are refused. */
export const importFormSchema = z.strictObject({
  channel: z.string().max(20).default(""),
  _csrf: z.string().optional(),
});

export const CHANNEL_LABELS: Record<(typeof IMPORT_CHANNELS)[number], string> = {
  paper: "Paper forms",
  email: "Emails",
  event: "Events (forms filled in at a meeting or drop-in)",
};

export const isImportChannel = (value: string): value is (typeof IMPORT_CHANNELS)[number] =>
  (IMPORT_CHANNELS as readonly string[]).includes(value);
