import type { AuditEntry, AuditFilter, AuditRepository } from "../../db/audit.js";

/** Who did something: a signed-in officer, or nobody (the CLI, a job, a failed sign-in). */
export interface Actor {
  id: number;
  email: string;
}

/**
 * The actions the trail records, with the words the audit page shows. Keys are stored, so they
 * never change; add new ones at the end.
 */
export const AUDIT_ACTIONS = {
  "sign-in": "Signed in",
  "sign-in-failed": "Failed sign-in",
  "sign-out": "Signed out",
  "definition-saved": "Saved the consultation",
  published: "Published the consultation",
  "closing-extended": "Extended the closing date",
  "closed-early": "Closed early",
  "results-published": "Published the results",
  archived: "Archived",
  unarchived: "Brought back from the archive",
  import: "Imported responses",
  export: "Exported",
  "response-withdrawn": "Withdrew a response",
  "response-marked": "Marked a response",
  "response-unmarked": "Restored a marked response",
  "we-did-saved": "Changed a ‘we did’ entry",
  "account-added": "Added an account",
  "account-password-reset": "Reset a password",
  "account-disabled": "Disabled an account",
  "account-enabled": "Re-enabled an account",
  "account-role-changed": "Changed a role",
  "account-removed": "Removed an account",
  "password-changed": "Changed their own password",
  "two-factor-on": "Turned on two-factor sign-in",
  "two-factor-off": "Turned off two-factor sign-in",
  "two-factor-recovery-renewed": "Got new two-factor recovery codes",
  "two-factor-failed": "Wrong two-factor code",
  "two-factor-reset": "Reset two-factor sign-in",
  "mail-abandoned": "E-mail given up after its last attempt",
  "mail-retried": "Retried an e-mail that was given up",
  "mail-discarded": "Deleted an e-mail that was given up",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const isAuditAction = (s: string): s is AuditAction => Object.hasOwn(AUDIT_ACTIONS, s);

export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: () => Date,
  ) {}

  record(
    actor: Actor | null,
    action: AuditAction,
    about: {
      consultation?: { id: number; slug: string };
      subject?: string;
      detail?: string;
      /** For a failed sign-in: the email typed, as nobody is signed in. */
      email?: string;
    } = {},
  ): void {
    this.repo.append({
      at: this.clock().toISOString(),
      officerId: actor?.id ?? null,
      officerEmail: actor?.email ?? about.email ?? null,
      action,
      consultationId: about.consultation?.id ?? null,
      consultationSlug: about.consultation?.slug ?? null,
      subject: about.subject ?? null,
      detail: about.detail ?? "",
    });
  }

  list(filter: AuditFilter): AuditEntry[] {
    return this.repo.list(filter);
  }
}
