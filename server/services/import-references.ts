import { REFERENCE_LOOKUP, type ResponseTransferRepository } from "../../db/response-transfer.js";
import type { PendingResponses } from "./pending-responses.js";
import { newReference } from "./references.js";

/**
 * The references an import stores its rows under: the file's own, or a new random one for a row
 * without, drawn from candidates checked against those stored, many in one statement (one look-up
 * per row was a tenth of the request loop's time while storing). Rows are numbered in the order
 * they are taken, across the whole file.
 *
 * A new reference must not repeat one the file gives. When the whole file is known before storing,
 * its references are all known first (`know`); when rows are stored while the rest of the file is
 * still being checked, a later row may give a reference already drawn for an earlier one: `claim`
 * then draws the earlier row another, and says which, so that the stored row can be renamed.
 */
export class ImportReferences {
  imported = 0;
  skipped = 0;
  /** The reference each stored row (by its number in the file's good rows) was stored under. */
  readonly stored: string[] = [];
  private readonly taken = new Set<string>();
  /** The references drawn here, and the row each was given to. */
  private readonly drawn = new Map<string, number>();
  private readonly candidates: string[] = [];

  constructor(
    private readonly transfer: ResponseTransferRepository,
    private readonly consultationId: number,
    /** Look again for each row whether it was stored meanwhile (a response arrived as the file was checked). */
    private readonly recheck: boolean,
  ) {}

  /** Note the references these rows give, so that none is drawn for another row. */
  know(pending: PendingResponses): void {
    for (let i = 0; i < pending.length; i++) this.taken.add(pending.reference(i));
  }

  /**
   * A reference a row about to be taken gives: when it was drawn for an earlier row, that row gets
   * another, returned with it (the caller renames what was stored); otherwise undefined.
   */
  claim(reference: string): { row: number; from: string; to: string } | undefined {
    this.taken.add(reference);
    const row = this.drawn.get(reference);
    if (row === undefined) return undefined;
    this.drawn.delete(reference);
    const to = this.fresh();
    this.drawn.set(to, row);
    this.stored[row] = to;
    return { row, from: reference, to };
  }

  /** The reference to store row `index` (pending row `at`) under; undefined when it is skipped. */
  take(pending: PendingResponses, at: number, index: number): string | undefined {
    const given = pending.reference(at);
    if (this.recheck) {
      const stored = given !== "" && this.transfer.referenceOwner(given) !== undefined;
      if (stored || this.transfer.hasImportKey(this.consultationId, pending.key(at))) {
        this.skipped++;
        return undefined;
      }
    }
    let reference = given;
    if (reference === "") {
      reference = this.fresh();
      this.drawn.set(reference, index);
    }
    // A new reference must not repeat one still to be stored.
    this.taken.add(reference);
    this.stored[index] = reference;
    this.imported++;
    return reference;
  }

  private fresh(): string {
    for (;;) {
      const next = this.candidates.pop();
      if (next !== undefined) {
        if (!this.taken.has(next)) {
          this.taken.add(next);
          return next;
        }
        continue;
      }
      const drawn = Array.from({ length: REFERENCE_LOOKUP }, newReference);
      const stored = this.transfer.storedReferences(drawn);
      for (const r of drawn) if (!stored.has(r)) this.candidates.push(r);
    }
  }
}
