import type { ConsultationDefinition } from "../../analysis/definition.js";
import { ConflictError, NotFoundError } from "../../analysis/errors.js";
import type {
  ConsultationRepository,
  ConsultationRow,
  SavedVersion,
  Stage,
  VersionRow,
} from "../../db/consultations.js";
import type { Actor, AuditService } from "./audit.js";

/** Where a live consultation is by its dates (what respondents see). */
export type ConsultationStatus = "upcoming" | "open" | "closed";

/** Where it is in its life, as officers see it (issue 12, item 3). */
export type Lifecycle = "draft" | "scheduled" | "open" | "closed" | "results published" | "archived";

export interface ConsultationSummary extends ConsultationRow {
  status: ConsultationStatus;
  lifecycle: Lifecycle;
}

export function statusAt(row: Pick<ConsultationRow, "opensAt" | "closesAt">, now: Date): ConsultationStatus {
  if (now < new Date(row.opensAt)) return "upcoming";
  if (now >= new Date(row.closesAt)) return "closed";
  return "open";
}

/** Opening and closing happen at the set times because the stage is read against the clock. */
export function lifecycleAt(
  row: Pick<ConsultationRow, "opensAt" | "closesAt" | "stage" | "resultsPublishedAt">,
  now: Date,
): Lifecycle {
  if (row.stage === "draft") return "draft";
  if (row.stage === "archived") return "archived";
  const status = statusAt(row, now);
  if (status === "upcoming") return "scheduled";
  if (status === "open") return "open";
  return row.resultsPublishedAt ? "results published" : "closed";
}

/**
 * The public report, its "we did" entries and theme counts are public once an editor has published
 * the results of the closed consultation (issue 12, item 3), not merely when it closes: the council
 * considers the responses first. Officers see their own report throughout.
 */
export const resultsArePublic = (c: Pick<ConsultationSummary, "status" | "resultsPublishedAt">): boolean =>
  c.status === "closed" && c.resultsPublishedAt !== null;

/** A lifecycle action that does not fit where the consultation is (closing one already closed). */
export class LifecycleError extends ConflictError {}

export class ConsultationService {
  constructor(
    private readonly repo: ConsultationRepository,
    private readonly clock: () => Date,
    private readonly audit?: AuditService,
  ) {}

  private summary(row: ConsultationRow, now = this.clock()): ConsultationSummary {
    return { ...row, status: statusAt(row, now), lifecycle: lifecycleAt(row, now) };
  }

  /** The public hub: live consultations by status. Drafts are not public; archived ones are kept but hidden. */
  hub(): Record<ConsultationStatus, ConsultationSummary[]> {
    const now = this.clock();
    const groups: Record<ConsultationStatus, ConsultationSummary[]> = { open: [], upcoming: [], closed: [] };
    for (const row of this.repo.list()) {
      if (row.stage !== "live") continue;
      const summary = this.summary(row, now);
      groups[summary.status].push(summary);
    }
    // Open ones closing soonest first; upcoming soonest first; closed most recent first.
    groups.open.sort((a, b) => a.closesAt.localeCompare(b.closesAt));
    groups.upcoming.sort((a, b) => a.opensAt.localeCompare(b.opensAt));
    groups.closed.sort((a, b) => b.closesAt.localeCompare(a.closesAt));
    return groups;
  }

  /** Every consultation, drafts and archived ones included, for officers. */
  all(): ConsultationSummary[] {
    const now = this.clock();
    return this.repo.list().map((row) => this.summary(row, now));
  }

  /**
   * Every consultation for the officer home, in the hub's order (open, upcoming, closed), with its
   * responses so far and those of the last seven days.
   */
  overview(): (ConsultationSummary & { responses: number; lastWeek: number })[] {
    const weekAgo = new Date(this.clock().getTime() - 7 * 24 * 60 * 60 * 1000);
    const counts = this.repo.responseCounts(weekAgo);
    const { open, upcoming, closed } = this.hub();
    return [...open, ...upcoming, ...closed].map((c) => ({
      ...c,
      responses: counts.get(c.id)?.total ?? 0,
      lastWeek: counts.get(c.id)?.recent ?? 0,
    }));
  }

  /**
   * Save a validated definition as the consultation's next version (or its first). Every way in
   * (`definition load`, the builder) comes through here, so the same changes are allowed while it
   * is live (analysis/definition-changes.ts); a refused change throws DefinitionChangeRefusedError,
   * whose problems say why and what to do instead, and stores nothing.
   */
  store(
    definition: ConsultationDefinition,
    opts: { savedBy?: string | null; stage?: Stage; actor?: Actor | null } = {},
  ): SavedVersion {
    const saved = this.repo.save(definition, this.clock(), {
      savedBy: opts.savedBy ?? opts.actor?.email ?? null,
      ...(opts.stage ? { stage: opts.stage } : {}),
    });
    this.audit?.record(opts.actor ?? null, "definition-saved", {
      consultation: { id: saved.id, slug: definition.slug },
      subject: `version ${saved.version}`,
      detail: saved.created ? "Created" : saved.changes.join("; ") || "Nothing changed",
    });
    return saved;
  }

  /** The versions saved so far, newest first, with what each changed. */
  versions(consultationId: number): VersionRow[] {
    return this.repo.versions(consultationId);
  }

  /** What changed in the versions after `version`, in plain words (for a draft begun on it). */
  changesSince(consultationId: number, version: number): string[] {
    return this.repo.changesSince(consultationId, version);
  }

  find(slug: string): ConsultationSummary | undefined {
    const row = this.repo.findBySlug(slug);
    return row ? this.summary(row) : undefined;
  }

  private mustFind(slug: string): ConsultationSummary {
    const found = this.find(slug);
    if (!found) throw new NotFoundError(`No consultation "${slug}"`);
    return found;
  }

  /** A draft goes live: scheduled until it opens, then open, then closed, by its dates. */
  publish(slug: string, actor: Actor): void {
    const c = this.mustFind(slug);
    if (c.stage !== "draft") throw new LifecycleError("It has already been published");
    this.repo.setStage(c.id, c.slug, "live");
    this.audit?.record(actor, "published", {
      consultation: c,
      detail: `Opens ${c.opensAt}, closes ${c.closesAt}`,
    });
  }

  /** A later closing date, as a new version; the reason goes in the audit trail. */
  extend(slug: string, closes: Date, reason: string, actor: Actor): SavedVersion {
    const c = this.mustFind(slug);
    if (c.stage !== "live" || c.status === "closed")
      throw new LifecycleError("Only a consultation that has not closed yet can be extended");
    if (closes.getTime() <= Date.parse(c.closesAt))
      throw new LifecycleError("The new closing date must be after the current one");
    const saved = this.repo.save({ ...c.definition, closes: closes.toISOString() }, this.clock(), {
      savedBy: actor.email,
    });
    this.audit?.record(actor, "closing-extended", {
      consultation: c,
      subject: `from ${c.closesAt} to ${closes.toISOString()}`,
      detail: reason,
    });
    return saved;
  }

  /** Close now, before the closing date; the reason goes in the audit trail. */
  closeEarly(slug: string, reason: string, actor: Actor): SavedVersion {
    const c = this.mustFind(slug);
    if (c.stage !== "live" || c.status !== "open")
      throw new LifecycleError("Only an open consultation can be closed early");
    const now = this.clock();
    // Opening is kept before closing, as the definition schema requires.
    const saved = this.repo.save({ ...c.definition, closes: now.toISOString() }, now, {
      savedBy: actor.email,
      closingEarly: true,
    });
    this.audit?.record(actor, "closed-early", {
      consultation: c,
      subject: `was due to close ${c.closesAt}`,
      detail: reason,
    });
    return saved;
  }

  publishResults(slug: string, actor: Actor): void {
    const c = this.mustFind(slug);
    if (c.lifecycle !== "closed")
      throw new LifecycleError("Results can be published once the consultation has closed");
    this.repo.setResultsPublished(c.id, c.slug, this.clock());
    this.audit?.record(actor, "results-published", { consultation: c });
  }

  /** Archived: kept, with its responses and results, but listed nowhere public. */
  archive(slug: string, actor: Actor): void {
    const c = this.mustFind(slug);
    if (c.stage === "archived") throw new LifecycleError("It is already archived");
    if (c.lifecycle === "open") throw new LifecycleError("Close it before archiving it");
    this.repo.setStage(c.id, c.slug, "archived");
    this.audit?.record(actor, "archived", { consultation: c });
  }

  unarchive(slug: string, actor: Actor): void {
    const c = this.mustFind(slug);
    if (c.stage !== "archived") throw new LifecycleError("It is not archived");
    this.repo.setStage(c.id, c.slug, "live");
    this.audit?.record(actor, "unarchived", { consultation: c });
  }
}
