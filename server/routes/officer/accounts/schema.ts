import { z } from "zod";
import { OFFICER_ROLES, type OfficerRole } from "../../../services/officers.js";
import { passwordProblem } from "../../../services/password-policy.js";

/** The "Add an account" form. Unknown fields are refused; a field left out counts as left blank. */
export const addAccountSchema = z.strictObject({
  email: z.string().max(1000).default(""),
  name: z.string().max(1000).default(""),
  role: z.string().max(50).default(""),
  password: z.string().max(1000).default(""),
  _csrf: z.string().optional(),
});

export type AddAccountForm = z.infer<typeof addAccountSchema>;

export interface FieldError {
  field: string;
  text: string;
}

export interface NewAccount {
  email: string;
  name: string;
  role: OfficerRole;
  password: string;
}

const isRole = (value: string): value is OfficerRole => (OFFICER_ROLES as readonly string[]).includes(value);

/** Check the form; either the account to create or one message per field to correct. */
export function checkAccount(form: AddAccountForm): { account?: NewAccount; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const email = form.email.trim();
  const name = form.name.trim();
  if (email === "") errors.push({ field: "email", text: "Enter an email address" });
  else if (email.length > 320 || !z.email().safeParse(email).success)
    errors.push({
      field: "email",
      text: "Enter an email address in the correct format, like name@example.com",
    });
  if (name === "") errors.push({ field: "name", text: "Enter a name" });
  else if (name.length > 100) errors.push({ field: "name", text: "Name must be 100 characters or fewer" });
  if (!isRole(form.role)) errors.push({ field: "role", text: "Select a role" });
  const problem = passwordProblem(form.password);
  if (problem) errors.push({ field: "password", text: problem });
  if (errors.length > 0 || !isRole(form.role)) return { errors };
  return { account: { email, name, role: form.role, password: form.password }, errors };
}
