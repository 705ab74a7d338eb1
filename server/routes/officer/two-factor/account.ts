import type { Request, Response } from "express";
import QRCode from "qrcode";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { Actor } from "../../../services/audit.js";
import { GateBusyError } from "../../../services/concurrency-gate.js";
import type { Services } from "../../../services/index.js";
import { groupedSecret, totpCodeOf } from "../../../services/two-factor.js";
import { buttonSchema, codeSchema, type FieldError, turnOffSchema } from "./schema.js";

const PAGE = "/officer/account/two-factor";

function signedIn(res: Response): Actor {
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in first");
  return { id: officer.id, email: officer.email };
}

const DONE: Record<string, string> = {
  off: "Two-factor sign-in is off: you sign in with your password alone.",
};

function renderStatus(
  res: Response,
  services: Services,
  status: number,
  errors: FieldError[],
  done?: string,
) {
  const officer = signedIn(res);
  res.status(status).render("officer/two-factor", {
    title: "Two-factor sign-in",
    on: services.twoFactor.isOn(officer.id),
    recoveryCodesLeft: services.twoFactor.recoveryCodesLeft(officer.id),
    errors,
    done,
  });
}

/** Your account's two-factor sign-in: what it is and whether it is on; turning it off. */
export function showTwoFactor(services: Services) {
  return (req: Request, res: Response) =>
    renderStatus(
      res,
      services,
      200,
      [],
      typeof req.query.done === "string" ? DONE[req.query.done] : undefined,
    );
}

/** The QR code of the otpauth:// address, as an SVG drawn here (no image request, no script). */
async function qrSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return svg.replace(
    "<svg ",
    '<svg role="img" aria-label="QR code holding the set-up key" width="200" height="200" focusable="false" ',
  );
}

async function renderSetUp(res: Response, services: Services, status: number, errors: FieldError[]) {
  const officer = signedIn(res);
  const setUp = services.twoFactor.setUpSecret(officer);
  if (!setUp) return res.redirect(303, PAGE);
  res.status(status).render("officer/two-factor-set-up", {
    title: "Set up two-factor sign-in",
    secret: groupedSecret(setUp.secret),
    uri: setUp.uri,
    qr: await qrSvg(setUp.uri),
    errors,
  });
}

/** The key to add to an authenticator app, as text, as an otpauth:// address and as a QR code. */
export function showSetUpTwoFactor(services: Services) {
  return (_req: Request, res: Response) => renderSetUp(res, services, 200, []);
}

/** Confirm with a current code: only then is it on, and the recovery codes are shown, once. */
export function confirmTwoFactor(services: Services) {
  return async (req: Request, res: Response) => {
    const form = codeSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const officer = signedIn(res);
    if (services.twoFactor.isOn(officer.id)) return res.redirect(303, PAGE);
    const typed = form.data.code;
    if (typed.trim() === "")
      return renderSetUp(res, services, 400, [
        { field: "code", text: "Enter the 6-digit code your authenticator app shows" },
      ]);
    if (totpCodeOf(typed) === undefined)
      return renderSetUp(res, services, 400, [
        { field: "code", text: "The code must be 6 digits, like 123456" },
      ]);
    const codes = services.twoFactor.confirm(officer, typed);
    if (!codes)
      return renderSetUp(res, services, 400, [
        {
          field: "code",
          text: "That code is not the one your app shows now: check the app's key matches the one here and try the newest code",
        },
      ]);
    res.render("officer/two-factor-recovery", { title: "Two-factor sign-in is on", codes });
  };
}

/** Turn it off: the password and a code (or a recovery code), so a borrowed session cannot. */
export function turnOffTwoFactor(services: Services) {
  return async (req: Request, res: Response) => {
    const form = turnOffSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const officer = signedIn(res);
    if (!services.twoFactor.isOn(officer.id)) return res.redirect(303, PAGE);
    const errors: FieldError[] = [];
    if (form.data.password === "") errors.push({ field: "password", text: "Enter your password" });
    if (form.data.code.trim() === "")
      errors.push({ field: "code", text: "Enter the code from your authenticator app, or a recovery code" });
    if (errors.length > 0) return renderStatus(res, services, 400, errors);
    let passwordOk: boolean;
    try {
      passwordOk =
        (await services.officers.verifyCredentials(officer.email, form.data.password)) !== undefined;
    } catch (err) {
      if (!(err instanceof GateBusyError)) throw err;
      return renderStatus(res, services, 503, [
        {
          field: "password",
          text: "Too many passwords are being checked at once: wait a minute, then try again",
        },
      ]);
    }
    if (!passwordOk)
      return renderStatus(res, services, 400, [{ field: "password", text: "Your password is not right" }]);
    if (!services.twoFactor.turnOff(officer, form.data.code))
      return renderStatus(res, services, 400, [
        {
          field: "code",
          text: "Enter the code your authenticator app shows now, or one of your recovery codes",
        },
      ]);
    res.redirect(303, `${PAGE}?done=off`);
  };
}

/** An admin turns off a colleague's two-factor sign-in; audited by the service. */
export function resetTwoFactor(services: Services) {
  return (req: Request, res: Response) => {
    if (!buttonSchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    const admin = signedIn(res);
    const id = Number(req.params.id);
    const account = Number.isSafeInteger(id) ? services.officers.find(id) : undefined;
    if (!account) throw new HttpError(404, "No such account");
    if (account.id === admin.id)
      throw new HttpError(400, "Turn off your own two-factor sign-in from your account's page");
    services.twoFactor.reset(admin, account.id);
    res.redirect(303, `/officer/accounts/${account.id}?done=two-factor-reset`);
  };
}
