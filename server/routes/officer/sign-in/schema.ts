import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../../../services/passwords.js";

/** The sign-in form. Unknown fields are refused; a field left out counts as left blank. */
export const signInSchema = z.strictObject({
  email: z.string().max(320).default(""),
  password: z.string().max(MAX_PASSWORD_LENGTH).default(""),
  _csrf: z.string().optional(),
});

export type SignInForm = z.infer<typeof signInSchema>;
