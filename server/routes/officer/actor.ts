import type { Response } from "express";
import { currentOfficer } from "../../middleware/officer-session.js";
import type { Actor } from "../../services/audit.js";

/** The signed-in officer as the audit trail names them (null only if a route forgot requireOfficer). */
export function actorOf(res: Response): Actor | null {
  const officer = currentOfficer(res);
  return officer ? { id: officer.id, email: officer.email } : null;
}

/** What the audit trail keeps of a consultation: which one, never what it holds. */
export const about = (consultation: { id: number; slug: string }) => ({
  consultation: { id: consultation.id, slug: consultation.slug },
});
