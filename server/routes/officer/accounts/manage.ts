import type { Request, Response } from "express";
import { z } from "zod";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import { AccountChangeError } from "../../../services/accounts.js";
import type { Actor } from "../../../services/audit.js";
import type { Services } from "../../../services/index.js";
import { OFFICER_ROLES, type OfficerRole } from "../../../services/officers.js";

const roleSchema = z.strictObject({ role: z.string().max(50).default(""), _csrf: z.string().optional() });
const emptySchema = z.strictObject({ _csrf: z.string().optional() });

const isRole = (value: string): value is OfficerRole => (OFFICER_ROLES as readonly string[]).includes(value);

function actorOf(res: Response): Actor {
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in first");
  return { id: officer.id, email: officer.email };
}

function accountOr404(services: Services, req: Request) {
  const id = Number(req.params.id);
  const officer = Number.isSafeInteger(id) ? services.officers.find(id) : undefined;
  if (!officer) throw new HttpError(404, "No such account");
  return officer;
}

const DONE: Record<string, string> = {
  role: "Role changed.",
  disabled: "Account disabled: they have been signed out and cannot sign in.",
  enabled: "Account re-enabled.",
  "two-factor-reset":
    "Two-factor sign-in reset: they sign in with their password alone, and may set it up again.",
};

function render(
  req: Request,
  res: Response,
  services: Services,
  status = 200,
  error?: { field: string; text: string },
) {
  const account = accountOr404(services, req);
  const done = typeof req.query.done === "string" ? DONE[req.query.done] : undefined;
  res.status(status).render("officer/account", {
    title: `Account: ${account.name}`,
    account,
    self: currentOfficer(res)?.id === account.id,
    twoFactor: services.twoFactor.isOn(account.id),
    roles: OFFICER_ROLES,
    errors: error ? [error] : [],
    done,
  });
}

export function showAccount(services: Services) {
  return (req: Request, res: Response) => render(req, res, services);
}

/** Run a change; one refused (the last admin, their own account) is said beside the form. */
function attempt(
  req: Request,
  res: Response,
  services: Services,
  field: string,
  act: () => void,
  done: string,
) {
  try {
    act();
  } catch (err) {
    if (err instanceof AccountChangeError)
      return render(req, res, services, 400, { field, text: err.message });
    throw err;
  }
  res.redirect(303, `/officer/accounts/${req.params.id}?done=${done}`);
}

export function changeRole(services: Services) {
  return (req: Request, res: Response) => {
    const form = roleSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const role = form.data.role;
    if (!isRole(role)) return render(req, res, services, 400, { field: "role", text: "Select a role" });
    const account = accountOr404(services, req);
    attempt(
      req,
      res,
      services,
      "role",
      () => services.accounts.setRole(actorOf(res), account.id, role),
      "role",
    );
  };
}

export function setDisabled(services: Services, disabled: boolean) {
  return (req: Request, res: Response) => {
    if (!emptySchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    const account = accountOr404(services, req);
    attempt(
      req,
      res,
      services,
      "access-button",
      () => services.accounts.setDisabled(actorOf(res), account.id, disabled),
      disabled ? "disabled" : "enabled",
    );
  };
}

/** The set-up link is shown on this one response only: it is stored nowhere but as a hash. */
export function resetPassword(services: Services) {
  return (req: Request, res: Response) => {
    if (!emptySchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    const account = accountOr404(services, req);
    let link: ReturnType<typeof services.accounts.resetPassword>;
    try {
      link = services.accounts.resetPassword(actorOf(res), account.id);
    } catch (err) {
      if (err instanceof AccountChangeError)
        return render(req, res, services, 400, { field: "reset-button", text: err.message });
      throw err;
    }
    res.render("officer/account-link", {
      title: "Set-up link",
      account,
      url: `${req.protocol}://${req.get("host")}/officer/set-up/${link.token}`,
      expiresAt: link.expiresAt,
    });
  };
}

export function showRemove(services: Services) {
  return (req: Request, res: Response) => {
    const account = accountOr404(services, req);
    res.render("officer/account-remove", { title: `Remove ${account.name}`, account, errors: [] });
  };
}

export function removeAccount(services: Services) {
  return (req: Request, res: Response) => {
    if (!emptySchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    const account = accountOr404(services, req);
    try {
      services.accounts.remove(actorOf(res), account.id);
    } catch (err) {
      if (!(err instanceof AccountChangeError)) throw err;
      return res.status(400).render("officer/account-remove", {
        title: `Remove ${account.name}`,
        account,
        errors: [{ field: "remove-button", text: err.message }],
      });
    }
    res.redirect(303, `/officer/accounts?removed=${encodeURIComponent(account.email)}`);
  };
}
