import { type RequestHandler, Router } from "express";
import { requireOfficer } from "../../middleware/officer-session.js";
import type { Services } from "../../services/index.js";
import { addAccount, showAccounts } from "./accounts/controller.js";
import {
  changeRole,
  removeAccount,
  resetPassword,
  setDisabled,
  showAccount,
  showRemove,
} from "./accounts/manage.js";
import { changePassword, setUp, showChangePassword, showSetUp } from "./accounts/password.js";
import { showAuditTrail } from "./audit/controller.js";
import { builderPages } from "./builder/routes.js";
import { applyBulk, showBulk, undoBatch } from "./comments/bulk.js";
import { applyToCampaign } from "./comments/campaign.js";
import { commentAction, showComments } from "./comments/controller.js";
import { acceptSuggestions, trainNow } from "./comments/suggestions.js";
import { downloadSummary, showDashboard } from "./dashboard/controller.js";
import { codeBlind, DRAW_ROLES, drawDoubleCoded, showDoubleCoding } from "./double-coding/controller.js";
import { home } from "./home/controller.js";
import {
  adoptCandidate,
  codeCampaign,
  findCampaigns,
  findStances,
  setCounting,
  showInsights,
} from "./insights/controller.js";
import { lifecyclePages } from "./lifecycle/routes.js";
import { discardFailedMail, retryFailedMail, showFailedMail } from "./mail/controller.js";
import { moderationPages } from "./moderation/routes.js";
import { previewPages } from "./preview/controller.js";
import { reportPages } from "./report/routes.js";
import {
  findResponse,
  markResponse,
  restoreResponse,
  showResponse,
  showSetAside,
  showWithdraw,
  withdrawResponse,
} from "./responses/controller.js";
import { responsesCsvPages } from "./responses-csv/routes.js";
import { readUpload } from "./responses-csv/upload.js";
import { showSignIn, signIn } from "./sign-in/controller.js";
import { DEFAULT_SIGN_IN_LIMIT, type SignInLimit, signInRateLimits } from "./sign-in/rate-limit.js";
import { signOut } from "./sign-out/controller.js";
import {
  applyRules,
  CODEBOOK_MAX_BYTES,
  codebookTooLarge,
  createTheme,
  deleteTheme,
  exportCodebook,
  importCodebook,
  mergeTheme,
  previewRules,
  showAudit,
  showCodebook,
  showTheme,
  updateTheme,
} from "./themes/controller.js";
import {
  confirmTwoFactor,
  renewRecoveryCodes,
  resetTwoFactor,
  showSetUpTwoFactor,
  showTwoFactor,
  turnOffTwoFactor,
} from "./two-factor/account.js";
import { accountOfPendingSignIn, enterCode, showCode } from "./two-factor/sign-in-code.js";

export interface OfficerRouteOptions {
  secureCookies: boolean;
  /** The app's CSRF check, for routes that read their own body (multipart uploads) before it. */
  csrfProtection: RequestHandler;
  signInLimit?: SignInLimit;
}

/**
 * Every page that needs a signed-in officer, registered on a router that refuses anyone else
 * before any of these run. Add new officer pages here, with paths relative to /officer, e.g.
 *   router.get("/consultations/:slug/export", requireOfficer(["admin", "analyst"]), exportCsv(services));
 *   router.use("/consultations/:slug/results", resultsRoutes(services)); // Router({ mergeParams: true })
 * Narrow a page to some roles with requireOfficer(roles) in front of its handler.
 * tests/http/officer-auth.test.ts finds every route here and checks it refuses the signed-out.
 */
export function officerPages(router: Router, services: Services, opts: OfficerRouteOptions): void {
  router.get("/", home(services));
  router.get("/consultations/:slug", showDashboard(services));
  router.get("/consultations/:slug/export/summary.csv", downloadSummary(services));
  router.get("/consultations/:slug/comments/:question", showComments(services));
  // The coding workbench: bulk apply (count, confirm, undo), then one action on one comment.
  router.get("/consultations/:slug/comments/:question/bulk", showBulk(services));
  router.post("/consultations/:slug/comments/:question/bulk", applyBulk(services));
  router.post("/consultations/:slug/comments/:question/batches/:batch/undo", undoBatch(services));
  router.post("/consultations/:slug/comments/:question/campaigns/:group", applyToCampaign(services));
  router.post("/consultations/:slug/comments/:question/suggestions/train", trainNow(services));
  router.post("/consultations/:slug/comments/:question/suggestions/accept", acceptSuggestions(services));
  // Campaigns, new themes and stance for a question's comments (issue 13 items 4-6).
  router.get("/consultations/:slug/comments/:question/insights", showInsights(services));
  router.post("/consultations/:slug/comments/:question/insights/campaigns", findCampaigns(services));
  router.post("/consultations/:slug/comments/:question/insights/counting", setCounting(services));
  router.post("/consultations/:slug/comments/:question/insights/campaigns/:group", codeCampaign(services));
  router.post("/consultations/:slug/comments/:question/insights/candidates", adoptCandidate(services));
  router.post("/consultations/:slug/comments/:question/insights/stance", findStances(services));
  // A double-coded sample: analysts draw coded comments, another officer codes them blind.
  router.get("/consultations/:slug/comments/:question/double-coding", showDoubleCoding(services));
  router.post(
    "/consultations/:slug/comments/:question/double-coding/sample",
    requireOfficer(DRAW_ROLES),
    drawDoubleCoded(services),
  );
  router.post("/consultations/:slug/comments/:question/double-coding/:comment", codeBlind(services));
  router.post("/consultations/:slug/comments/:question/:comment", commentAction(services));
  // The codebook.
  router.get("/consultations/:slug/themes", showCodebook(services));
  router.post("/consultations/:slug/themes", createTheme(services));
  router.get("/consultations/:slug/themes.csv", exportCodebook(services));
  // A codebook file: the officer first, then the multipart body, then the CSRF token that was in it.
  router.post(
    "/consultations/:slug/themes/import",
    readUpload(codebookTooLarge(services), CODEBOOK_MAX_BYTES),
    opts.csrfProtection,
    importCodebook(services),
  );
  router.get("/consultations/:slug/themes/audit", requireOfficer(["admin"]), showAudit(services));
  router.post("/consultations/:slug/themes/batches/:batch/undo", undoBatch(services));
  router.get("/consultations/:slug/themes/:theme", showTheme(services));
  router.post("/consultations/:slug/themes/:theme", updateTheme(services));
  router.post("/consultations/:slug/themes/:theme/merge", mergeTheme(services));
  router.post("/consultations/:slug/themes/:theme/delete", deleteTheme(services));
  router.get("/consultations/:slug/themes/:theme/rules", previewRules(services));
  router.post("/consultations/:slug/themes/:theme/rules", applyRules(services));
  router.get("/accounts", requireOfficer(["admin"]), showAccounts(services));
  router.post("/accounts", requireOfficer(["admin"]), addAccount(services));
  const admins = requireOfficer(["admin"]);
  router.get("/accounts/:id", admins, showAccount(services));
  router.post("/accounts/:id/role", admins, changeRole(services));
  router.post("/accounts/:id/disable", admins, setDisabled(services, true));
  router.post("/accounts/:id/enable", admins, setDisabled(services, false));
  router.post("/accounts/:id/reset", admins, resetPassword(services));
  router.get("/accounts/:id/remove", admins, showRemove(services));
  router.post("/accounts/:id/remove", admins, removeAccount(services));
  // Every officer's own password.
  router.get("/account/password", showChangePassword());
  router.post("/account/password", changePassword(services));
  // Every officer's own two-factor sign-in: set up, confirm with a code, turn off.
  router.get("/account/two-factor", showTwoFactor(services));
  router.get("/account/two-factor/set-up", showSetUpTwoFactor(services));
  router.post("/account/two-factor/set-up", confirmTwoFactor(services));
  router.post("/account/two-factor/off", turnOffTwoFactor(services));
  router.post("/account/two-factor/recovery-codes", renewRecoveryCodes(services));
  // An admin resets a colleague's two-factor sign-in (a lost phone and lost recovery codes).
  router.post("/accounts/:id/two-factor/reset", admins, resetTwoFactor(services));
  router.get("/audit", requireOfficer(["admin"]), showAuditTrail(services));
  // E-mail to residents that was given up after its last attempt: admins see, retry or delete it.
  router.get("/mail", admins, showFailedMail(services));
  router.post("/mail/:id/retry", admins, retryFailedMail(services));
  router.post("/mail/:id/discard", admins, discardFailedMail(services));
  lifecyclePages(router, services);
  // One response, by its reference: any officer finds and reads it; admins and editors withdraw it.
  router.get("/consultations/:slug/responses", findResponse(services));
  // Before /:reference, which would take "set-aside" for a reference.
  router.get("/consultations/:slug/responses/set-aside", showSetAside(services));
  router.get("/consultations/:slug/responses/:reference", showResponse(services));
  router.get(
    "/consultations/:slug/responses/:reference/withdraw",
    requireOfficer(["admin", "editor"]),
    showWithdraw(services),
  );
  router.post(
    "/consultations/:slug/responses/:reference/withdraw",
    requireOfficer(["admin", "editor"]),
    withdrawResponse(services),
  );
  // Set aside as spam or a duplicate, and back: the same roles as withdrawing.
  router.post(
    "/consultations/:slug/responses/:reference/mark",
    requireOfficer(["admin", "editor"]),
    markResponse(services),
  );
  router.post(
    "/consultations/:slug/responses/:reference/restore",
    requireOfficer(["admin", "editor"]),
    restoreResponse(services),
  );
  reportPages(router, services);
  builderPages(router, services, opts.csrfProtection);
  moderationPages(router, services);
  previewPages(router, services);
  responsesCsvPages(router, services, opts.csrfProtection);
}

/** Everything under /officer: sign in and out (open to all), then the signed-in pages. */
export function officerRoutes(services: Services, opts: OfficerRouteOptions): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  router.get("/sign-in", showSignIn());
  // One set of limits for passwords and two-factor codes: a wrong code counts as a wrong password.
  const signInLimits = signInRateLimits(opts.signInLimit ?? DEFAULT_SIGN_IN_LIMIT);
  router.post("/sign-in", ...signInLimits, signIn(services, opts.secureCookies));
  // The second step for officers with two-factor sign-in: open to the half signed in only.
  router.get("/sign-in/code", showCode(services, opts.secureCookies));
  router.post(
    "/sign-in/code",
    accountOfPendingSignIn(services, opts.secureCookies),
    ...signInLimits,
    enterCode(services, opts.secureCookies),
  );
  router.post("/sign-out", signOut(services, opts.secureCookies));
  // A one-time set-up link from an admin's password reset: its token is the only credential.
  router.get("/set-up/:token", showSetUp(services));
  router.post(
    "/set-up/:token",
    ...signInRateLimits(opts.signInLimit ?? DEFAULT_SIGN_IN_LIMIT),
    setUp(services),
  );

  // From here on, nobody gets further without a live session: not even to learn that a page exists.
  const signedIn = Router();
  signedIn.use(requireOfficer());
  officerPages(signedIn, services, opts);
  router.use(signedIn);
  return router;
}
