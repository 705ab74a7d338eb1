import type { CommentRow } from "../../../../db/tags.js";
import type { ThemeRow } from "../../../services/themes.js";

/** A comment as the workbench shows it: its themes by name, confirmed ones first. */
export interface CommentView {
  id: number;
  reference: string;
  text: string;
  reviewed: boolean;
  flagged: boolean;
  flagNote: string | null;
  tags: {
    themeId: number;
    name: string;
    confirmed: boolean;
    source: string;
    quote: boolean;
    score: number | null;
  }[];
  /** Themes not yet on it, for the apply select. */
  available: { id: number; name: string }[];
  /** The campaign it stands for in the list (shown once), if it belongs to one. */
  campaign: { groupId: number; count: number } | null;
}

export function commentView(
  row: CommentRow,
  themes: readonly ThemeRow[],
  campaign: { groupId: number; count: number } | null = null,
): CommentView {
  const names = new Map(themes.map((t) => [t.id, t.name]));
  const tagged = new Set(row.tags.map((t) => t.themeId));
  return {
    id: row.id,
    reference: row.reference,
    text: row.text,
    reviewed: row.reviewed,
    flagged: row.flagged,
    flagNote: row.flagNote,
    tags: row.tags
      .filter((t) => names.has(t.themeId))
      .map((t) => ({ ...t, name: names.get(t.themeId) ?? "" }))
      .sort((a, b) => Number(b.confirmed) - Number(a.confirmed) || a.name.localeCompare(b.name)),
    available: themes.filter((t) => !tagged.has(t.id)).map((t) => ({ id: t.id, name: t.name })),
    campaign,
  };
}
