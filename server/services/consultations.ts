import type { ConsultationDefinition } from "../../analysis/definition.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";

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
   * Store a validated definition: a new consultation, or a replacement for one without responses
   * (DefinitionConflictError otherwise).
   */
  store(definition: ConsultationDefinition): { id: number; created: boolean } {
    return this.repo.save(definition, this.clock());
  }

  find(slug: string): ConsultationSummary | undefined {
    const row = this.repo.findBySlug(slug);
    return row ? { ...row, status: statusAt(row, this.clock()) } : undefined;
  }
}
