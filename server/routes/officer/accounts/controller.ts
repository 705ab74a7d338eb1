import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import { GateBusyError } from "../../../services/concurrency-gate.js";
import type { Services } from "../../../services/index.js";
import { DuplicateOfficerError, OFFICER_ROLES } from "../../../services/officers.js";
import { addAccountSchema, checkAccount, type FieldError } from "./schema.js";

interface Values {
  email: string;
  name: string;
  role: string;
}

const ROLE_HINTS: Record<(typeof OFFICER_ROLES)[number], string> = {
  admin: "Can add accounts, and do everything the other roles can.",
  editor: "Can create, build and preview consultations, and see their results.",
  officer: "Can see every consultation's results.",
  analyst: "Can see results, export them and write summary reports.",
};

function render(
  res: Response,
  services: Services,
  status: number,
  values: Values,
  errors: FieldError[],
  added?: string,
  removed?: string,
) {
  res.status(status).render("officer/accounts", {
    title: "Accounts",
    officers: services.officers.list(),
    roles: OFFICER_ROLES.map((r) => ({ value: r, hint: ROLE_HINTS[r] })),
    values,
    errors,
    added,
    removed,
  });
}

export function showAccounts(services: Services) {
  return (req: Request, res: Response) => {
    const addedId = Number(req.query.added);
    const added = Number.isInteger(addedId) ? services.officers.find(addedId)?.email : undefined;
    const removed = typeof req.query.removed === "string" ? req.query.removed.slice(0, 320) : undefined;
    render(res, services, 200, { email: "", name: "", role: "" }, [], added, removed);
  };
}

/** Add an account. The password typed is never shown again, on success or on error. */
export function addAccount(services: Services) {
  return async (req: Request, res: Response) => {
    const form = addAccountSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The account form held unexpected fields");
    const values = { email: form.data.email.trim(), name: form.data.name.trim(), role: form.data.role };
    const { account, errors } = checkAccount(form.data);
    if (!account) return render(res, services, 400, values, errors);
    try {
      const officer = await services.officers.create(account);
      const admin = currentOfficer(res);
      services.audit.record(admin ? { id: admin.id, email: admin.email } : null, "account-added", {
        subject: officer.email,
        detail: officer.role,
      });
      res.redirect(303, `/officer/accounts?added=${officer.id}`);
    } catch (err) {
      if (err instanceof GateBusyError) {
        res.set("Retry-After", "30");
        return render(res, services, 503, values, [
          {
            field: "password",
            text: "Too many passwords are being checked at once: wait a minute, then add the account again",
          },
        ]);
      }
      if (!(err instanceof DuplicateOfficerError)) throw err;
      render(res, services, 400, values, [
        { field: "email", text: "An account with this email address already exists" },
      ]);
    }
  };
}
