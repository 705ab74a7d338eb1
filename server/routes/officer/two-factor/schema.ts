import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../../../services/passwords.js";

/** The code step of signing in, and confirming set-up: one code (six digits or a recovery code). */
export const codeSchema = z.strictObject({
  code: z.string().max(100).default(""),
  _csrf: z.string().optional(),
});

/** Turning two-factor sign-in off: the password and a code, both proved again. */
export const turnOffSchema = z.strictObject({
  password: z.string().max(MAX_PASSWORD_LENGTH).default(""),
  code: z.string().max(100).default(""),
  _csrf: z.string().optional(),
});

/** Buttons with nothing to send but the CSRF token. */
export const buttonSchema = z.strictObject({ _csrf: z.string().optional() });

export interface FieldError {
  field: string;
  text: string;
}
