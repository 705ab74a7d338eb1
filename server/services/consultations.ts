import type { ConsultationDefinition } from "../../analysis/definition.js";
import type {
  ConsultationRepository,
  ConsultationRow,
  SavedVersion,
  Stage,
  VersionRow,
} from "../../db/consultations.js";

export type ConsultationStatus = "upcoming" | "open" | "closed";

export interface ConsultationSummary extends ConsultationRow {
  status: ConsultationStatus;
}

export function statusAt(row: Pick<ConsultationRow, "opensAt" | "closesAt">, now: Date): ConsultationStatus {
  if (now < new Date(row.opensAt)) return "upcoming";
  if (now >= new Date(row.closesAt)) return "closed";
  return "open";
}

export class ConsultationService {
  constructor(
    private readonly repo: ConsultationRepository,
    private readonly clock: () => Date,
  ) {}

  hub(): Record<ConsultationStatus, ConsultationSummary[]> {
    const now = this.clock();
    const groups: Record<ConsultationStatus, ConsultationSummary[]> = { open: [], upcoming: [], closed: [] };
    for (const row of this.repo.list())
      groups[statusAt(row, now)].push({ ...row, status: statusAt(row, now) });
    // Open ones closing soonest first; upcoming soonest first; closed most recent first.
    groups.open.sort((a, b) => a.closesAt.localeCompare(b.closesAt));
    groups.upcoming.sort((a, b) => a.opensAt.localeCompare(b.opensAt));
    groups.closed.sort((a, b) => b.closesAt.localeCompare(a.closesAt));
    return groups;
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
    opts: { savedBy?: string | null; stage?: Stage } = {},
  ): SavedVersion {
    return this.repo.save(definition, this.clock(), opts);
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
    return row ? { ...row, status: statusAt(row, this.clock()) } : undefined;
  }
}
