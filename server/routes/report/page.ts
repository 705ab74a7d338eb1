import type { BlockRef, ReportModel } from "../../../analysis/report/model.js";
import type { BuiltReport } from "../../services/report.js";
import { type Block, pairedBlock, questionBlock, timelineBlock } from "../officer/dashboard/view-model.js";

/**
 * What views/report/report.ejs needs, for the three places the report is shown: the officer page,
 * the public page (once the consultation has closed) and the CLI's standalone HTML or PDF. The
 * charts and tables are the dashboard's result blocks, so the report draws nothing of its own.
 */
export type ReportAudience = "officer" | "public" | "standalone";

export interface ReportPageLocals {
  title: string;
  report: ReportModel;
  audience: ReportAudience;
  /** The result block a reference names, headed `heading` when given (a part's own heading). */
  blockFor: (ref: BlockRef, heading?: string) => Block | undefined;
  backHref?: string;
  /** Officer page only: where to write the entries, the dashboard and the public copy. */
  links?: { weDid: string; dashboard: string; published: string | null };
}

export function reportPageLocals(
  built: BuiltReport,
  audience: ReportAudience,
  extra: Pick<ReportPageLocals, "backHref" | "links"> = {},
): ReportPageLocals {
  const { results } = built;
  const blockFor = (ref: BlockRef, heading?: string): Block | undefined => {
    let block: Block | undefined;
    if (ref.kind === "timeline") block = timelineBlock(results);
    else if (ref.kind === "paired") {
      const set = results.paired.find((p) => p.set.id === ref.setId);
      block = set ? pairedBlock(set) : undefined;
    } else {
      const q = results.questions.find((x) => x.question.id === ref.questionId);
      block = q ? questionBlock(q) : undefined;
    }
    return block && heading ? { ...block, heading } : block;
  };
  return { title: built.report.title, report: built.report, audience, blockFor, ...extra };
}
