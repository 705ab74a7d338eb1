import type { Request, Response } from "express";
import { z } from "zod";
import { AUDIT_ACTIONS, isAuditAction } from "../../../services/audit.js";
import type { Services } from "../../../services/index.js";

const PAGE = 100;

/** The filters, from the query string; anything unexpected is ignored rather than refused. */
const filterSchema = z.object({
  action: z.string().max(50).optional().catch(undefined),
  officer: z.string().trim().max(320).optional().catch(undefined),
  consultation: z.string().trim().max(60).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/** The audit trail, newest first, for admins: narrowed by action, officer and consultation. */
export function showAuditTrail(services: Services) {
  return (req: Request, res: Response) => {
    const f = filterSchema.parse(req.query);
    const action = f.action && isAuditAction(f.action) ? f.action : undefined;
    const filter = {
      ...(action ? { action } : {}),
      ...(f.officer ? { officer: f.officer } : {}),
      ...(f.consultation ? { consultation: f.consultation } : {}),
    };
    const entries = services.audit.list({
      ...filter,
      ...(f.before ? { before: f.before } : {}),
      limit: PAGE + 1,
    });
    const more = entries.length > PAGE;
    const shown = entries.slice(0, PAGE);
    const next = more
      ? `/officer/audit?${new URLSearchParams({ ...filter, before: String(shown[shown.length - 1]?.id ?? 0) })}`
      : undefined;
    res.render("officer/audit", {
      title: "Audit trail",
      entries: shown.map((e) => ({
        ...e,
        words: isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : e.action,
      })),
      actions: Object.entries(AUDIT_ACTIONS).map(([value, text]) => ({ value, text })),
      values: { action: action ?? "", officer: f.officer ?? "", consultation: f.consultation ?? "" },
      next,
    });
  };
}
