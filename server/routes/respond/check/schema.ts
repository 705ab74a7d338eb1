import { z } from "zod";
import { optionalEmail } from "../save/schema.js";

/** "Send response": the token and, where e-mail is offered, an address for the receipt. */
export const submitFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  email: optionalEmail.optional(),
});
