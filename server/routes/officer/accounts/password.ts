import type { Request, Response } from "express";
import { z } from "zod";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import { GateBusyError } from "../../../services/concurrency-gate.js";
import type { Services } from "../../../services/index.js";
import { passwordProblem, WeakPasswordError } from "../../../services/password-policy.js";

/** Change your own password: the current one, then the new one twice. Nothing typed is shown again. */
const changeSchema = z.strictObject({
  current: z.string().max(1000).default(""),
  password: z.string().max(1000).default(""),
  confirm: z.string().max(1000).default(""),
  _csrf: z.string().optional(),
});
/** Choose a password from a set-up link. */
const setUpSchema = changeSchema.omit({ current: true });

type FieldError = { field: string; text: string };

function newPasswordErrors(password: string, confirm: string): FieldError[] {
  const problem = passwordProblem(password);
  if (problem) return [{ field: "password", text: problem }];
  if (confirm !== password)
    return [{ field: "confirm", text: "The passwords do not match: type the same one twice" }];
  return [];
}

const busy: FieldError = {
  field: "password",
  text: "Too many passwords are being checked at once: wait a minute, then try again",
};

export function showChangePassword() {
  return (req: Request, res: Response) =>
    res.render("officer/password", {
      title: "Change your password",
      errors: [],
      changed: req.query.changed === "1",
    });
}

export function changePassword(services: Services) {
  return async (req: Request, res: Response) => {
    const form = changeSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const officer = currentOfficer(res);
    if (!officer) throw new HttpError(401, "Sign in first");
    const show = (status: number, errors: FieldError[]) =>
      res
        .status(status)
        .render("officer/password", { title: "Change your password", errors, changed: false });
    const errors: FieldError[] = [];
    if (form.data.current === "") errors.push({ field: "current", text: "Enter your current password" });
    errors.push(...newPasswordErrors(form.data.password, form.data.confirm));
    if (errors.length > 0) return show(400, errors);
    try {
      const outcome = await services.accounts.changeOwnPassword(
        { id: officer.id, email: officer.email },
        form.data.current,
        form.data.password,
      );
      if (outcome === "wrong-password")
        return show(400, [{ field: "current", text: "Your current password is not right" }]);
    } catch (err) {
      if (err instanceof GateBusyError) return show(503, [busy]);
      if (err instanceof WeakPasswordError) return show(400, [{ field: "password", text: err.message }]);
      throw err;
    }
    res.redirect(303, "/officer/account/password?changed=1");
  };
}

export function showSetUp(services: Services) {
  return (req: Request, res: Response) => {
    const officer = services.accounts.setUpFor(String(req.params.token ?? ""));
    if (!officer)
      return res.status(404).render("officer/set-up-gone", { title: "This link no longer works" });
    res.render("officer/set-up", { title: "Choose your password", account: officer, errors: [] });
  };
}

export function setUp(services: Services) {
  return async (req: Request, res: Response) => {
    const form = setUpSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const token = String(req.params.token ?? "");
    const officer = services.accounts.setUpFor(token);
    if (!officer)
      return res.status(404).render("officer/set-up-gone", { title: "This link no longer works" });
    const show = (status: number, errors: FieldError[]) =>
      res
        .status(status)
        .render("officer/set-up", { title: "Choose your password", account: officer, errors });
    const errors = newPasswordErrors(form.data.password, form.data.confirm);
    if (errors.length > 0) return show(400, errors);
    try {
      if (!(await services.accounts.finishSetUp(token, form.data.password)))
        return res.status(404).render("officer/set-up-gone", { title: "This link no longer works" });
    } catch (err) {
      if (err instanceof GateBusyError) return show(503, [busy]);
      if (err instanceof WeakPasswordError) return show(400, [{ field: "password", text: err.message }]);
      throw err;
    }
    res.redirect(303, "/officer/sign-in?set-up=1");
  };
}
