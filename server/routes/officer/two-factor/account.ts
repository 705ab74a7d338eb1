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

/**
 * The password and a code (or a recovery code) proved again, so a borrowed session cannot change
 * two-factor sign-in. Errors are tied to the fields of the form they came from (`ids`: the page
 * has two such forms). Returns the officer and the code typed, or undefined once the page has
 * been shown again with its errors.
 */
async function passwordAndCode(
  req: Request,
  res: Response,
  services: Services,
  ids: { password: string; code: string },
): Promise<{ officer: Actor; code: string } | undefined> {
  const form = turnOffSchema.safeParse(req.body ?? {});
  if (!form.success) throw new HttpError(400, "The form held unexpected fields");
  const officer = signedIn(res);
  if (!services.twoFactor.isOn(officer.id)) {
    res.redirect(303, PAGE);
    return undefined;
  }
  const errors: FieldError[] = [];
  if (form.data.password === "") errors.push({ field: ids.password, text: "Enter your password" });
  if (form.data.code.trim() === "")
    errors.push({ field: ids.code, text: "Enter the code from your authenticator app, or a recovery code" });
  if (errors.length > 0) {
    renderStatus(res, services, 400, errors);
    return undefined;
  }
  let passwordOk: boolean;
  try {
    passwordOk = (await services.officers.verifyCredentials(officer.email, form.data.password)) !== undefined;
  } catch (err) {
    if (!(err instanceof GateBusyError)) throw err;
    renderStatus(res, services, 503, [
      {
        field: ids.password,
        text: "Too many passwords are being checked at once: wait a minute, then try again",
      },
    ]);
    return undefined;
  }
  if (!passwordOk) {
    renderStatus(res, services, 400, [{ field: ids.password, text: "Your password is not right" }]);
    return undefined;
  }
  return { officer, code: form.data.code };
}

const WRONG_CODE = "Enter the code your authenticator app shows now, or one of your recovery codes";

/** Turn it off: the password and a code (or a recovery code), so a borrowed session cannot. */
export function turnOffTwoFactor(services: Services) {
  return async (req: Request, res: Response) => {
    const proved = await passwordAndCode(req, res, services, { password: "password", code: "code" });
    if (!proved) return;
    if (!services.twoFactor.turnOff(proved.officer, proved.code))
      return renderStatus(res, services, 400, [{ field: "code", text: WRONG_CODE }]);
    res.redirect(303, `${PAGE}?done=off`);
  };
}

/**
 * New recovery codes, for an officer who has used or lost some: the password and a code again,
 * then ten new codes shown once; the old ones stop working.
 */
export function renewRecoveryCodes(services: Services) {
  return async (req: Request, res: Response) => {
    const ids = { password: "renew-password", code: "renew-code" };
    const proved = await passwordAndCode(req, res, services, ids);
    if (!proved) return;
    const codes = services.twoFactor.renewRecoveryCodes(proved.officer, proved.code);
    if (!codes) return renderStatus(res, services, 400, [{ field: ids.code, text: WRONG_CODE }]);
    res.render("officer/two-factor-recovery", { title: "New recovery codes", codes, renewed: true });
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
