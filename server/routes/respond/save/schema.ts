import { z } from "zod";

/** An e-mail address a respondent may give (optional): GOV.UK's wording for a bad one. */
export const optionalEmail = z
  .string()
  .trim()
  .max(254, "Email address must be 254 characters or fewer")
  .refine((v) => v === "" || z.email().safeParse(v).success, {
    message: "Enter an email address in the correct format, like name@example.com",
  });

/** "Save and come back later": where they were, and an optional address to send the link to. */
export const saveFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  from: z.string().max(60).optional(),
  email: optionalEmail.optional(),
});

/** Coming back: the code from the link, carried by the page's button. */
export const resumeFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  code: z.string().max(100),
});
