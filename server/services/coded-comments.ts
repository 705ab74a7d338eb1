import type { CodedComment } from "../../analysis/themes/suggest.js";
import type { CommentForModel } from "../../db/theme-models.js";

/** Each stored comment with the themes that apply to its question, as the classifier takes it. */
export function codedComments(
  rows: readonly CommentForModel[],
  themesOf: (itemId: number) => number[],
): CodedComment[] {
  return rows.map((c) => ({
    id: c.id,
    text: c.text,
    closed: c.closed,
    reviewed: c.reviewed,
    confirmed: c.confirmed,
    rejected: c.rejected,
    tagged: c.tagged,
    themes: themesOf(c.itemId),
  }));
}
