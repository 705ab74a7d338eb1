/** One confirmed tag as held: the comment, its response, and whether an officer picked it as a quote. */
export interface HeldTag {
  commentId: number;
  responseId: number;
  quote: boolean;
}

const byQuoteThenResponse = (a: HeldTag, b: HeldTag) =>
  Number(b.quote) - Number(a.quote) || a.responseId - b.responseId || a.commentId - b.commentId;

/** Where `tag` stands (or would stand) in a list sorted by byQuoteThenResponse. */
function position(list: readonly HeldTag[], tag: HeldTag): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byQuoteThenResponse(list[mid] as HeldTag, tag) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Theme id standing for "any theme" in the change journal: a respondent became coded, or no longer is. */
export const CODED = -1;
/** Count changes kept per item: a reader further behind than this counts again from the tags. */
const JOURNAL_KEPT = 65_536;

/** One item's count changes, in order: which theme (or CODED), which respondent, +1 or -1. */
interface Journal {
  /** Position of the first change still held. */
  base: number;
  themes: number[];
  responses: number[];
  deltas: number[];
}

/**
 * One consultation's confirmed tags held in memory, by question item and theme, so that theme
 * counts for any group of respondents are a pass over these ids, and a tag change costs only
 * itself: db/tags.ts fills this once, then applies the (comment, theme) pairs the tag_changes log
 * names, as the answer matrix applies response_events. Pure data: no SQL here.
 */
export class ConfirmedTags {
  /** item id -> theme id -> comment id -> tag */
  readonly byItem = new Map<number, Map<number, Map<number, HeldTag>>>();
  /** item id -> response id -> how many confirmed themes its comment carries */
  readonly coded = new Map<number, Map<number, number>>();
  /** The newest tag_changes row applied. */
  seen = 0;
  /** Comment id -> its item, for a change that names only the comment and theme. */
  private readonly itemOf = new Map<number, number>();
  /** "item:theme" -> its tags in quote order, built when asked for and dropped when one changes. */
  private readonly ordered = new Map<string, HeldTag[]>();
  /** "item:theme" (or "item:" for any theme) -> the response ids, likewise: counting reads these. */
  private readonly ids = new Map<string, Int32Array>();
  /**
   * item id -> the changes to its counts since it was first held, so a count kept for a group
   * (server/services/themes.ts) catches up by testing only the respondents that changed.
   */
  private readonly journals = new Map<number, Journal>();

  /** A confirmed tag, added or with its quote pick changed. */
  set(itemId: number, themeId: number, tag: HeldTag): void {
    let themes = this.byItem.get(itemId);
    if (!themes) {
      themes = new Map();
      this.byItem.set(itemId, themes);
    }
    let tags = themes.get(themeId);
    if (!tags) {
      tags = new Map();
      themes.set(themeId, tags);
    }
    const before = tags.get(tag.commentId);
    if (!before) {
      let coded = this.coded.get(itemId);
      if (!coded) {
        coded = new Map();
        this.coded.set(itemId, coded);
      }
      const n = coded.get(tag.responseId) ?? 0;
      coded.set(tag.responseId, n + 1);
      this.journal(itemId, themeId, tag.responseId, 1);
      if (n === 0) this.journal(itemId, CODED, tag.responseId, 1);
    }
    tags.set(tag.commentId, tag);
    this.itemOf.set(tag.commentId, itemId);
    this.changed(itemId, themeId, before, tag);
  }

  /** A tag no longer confirmed (removed, unconfirmed, its comment or theme deleted). */
  delete(commentId: number, themeId: number): void {
    const itemId = this.itemOf.get(commentId);
    if (itemId === undefined) return;
    const tags = this.byItem.get(itemId)?.get(themeId);
    const tag = tags?.get(commentId);
    if (!tags || !tag) return;
    tags.delete(commentId);
    if (tags.size === 0) this.byItem.get(itemId)?.delete(themeId);
    const coded = this.coded.get(itemId);
    const n = (coded?.get(tag.responseId) ?? 0) - 1;
    this.journal(itemId, themeId, tag.responseId, -1);
    if (n > 0) coded?.set(tag.responseId, n);
    else {
      coded?.delete(tag.responseId);
      this.journal(itemId, CODED, tag.responseId, -1);
      // No theme of this comment is confirmed any longer.
      this.itemOf.delete(commentId);
    }
    this.changed(itemId, themeId, tag, undefined);
  }

  /**
   * A tag came, went or had its quote pick changed: the theme's list in quote order is kept by
   * moving that one tag (a binary search and a splice, not a sort of the theme's tags), and the
   * lists of ids are dropped, to be built again only if a full count asks for them.
   */
  private changed(
    itemId: number,
    themeId: number,
    before: HeldTag | undefined,
    after: HeldTag | undefined,
  ): void {
    const list = this.ordered.get(`${itemId}:${themeId}`);
    if (list) {
      if (before) {
        const at = position(list, before);
        if (list[at]?.commentId === before.commentId) list.splice(at, 1);
        else this.ordered.delete(`${itemId}:${themeId}`);
      }
      if (after && this.ordered.has(`${itemId}:${themeId}`)) list.splice(position(list, after), 0, after);
    }
    this.ids.delete(`${itemId}:${themeId}`);
    this.ids.delete(`${itemId}:`);
  }

  private journal(itemId: number, themeId: number, responseId: number, delta: number): void {
    let j = this.journals.get(itemId);
    if (!j) {
      j = { base: 0, themes: [], responses: [], deltas: [] };
      this.journals.set(itemId, j);
    }
    j.themes.push(themeId);
    j.responses.push(responseId);
    j.deltas.push(delta);
    if (j.themes.length > JOURNAL_KEPT) {
      const drop = JOURNAL_KEPT / 2;
      j.themes.splice(0, drop);
      j.responses.splice(0, drop);
      j.deltas.splice(0, drop);
      j.base += drop;
    }
  }

  /** The position after an item's newest count change: what a kept count is current to. */
  journalEnd(itemId: number): number {
    const j = this.journals.get(itemId);
    return j ? j.base + j.themes.length : 0;
  }

  /**
   * Calls `each` for every count change of an item from position `from` on, oldest first, and
   * returns false (calling nothing) when changes that far back are no longer held.
   */
  changesSince(
    itemId: number,
    from: number,
    each: (themeId: number, responseId: number, delta: number) => void,
  ): boolean {
    const j = this.journals.get(itemId);
    if (!j) return from === 0;
    if (from < j.base) return false;
    for (let k = from - j.base; k < j.themes.length; k++)
      each(j.themes[k] as number, j.responses[k] as number, j.deltas[k] as number);
    return true;
  }

  /** The respondents a theme was confirmed for on an item (every theme: `themeId` null), each once. */
  responseIds(itemId: number, themeId: number | null): Int32Array {
    const key = `${itemId}:${themeId ?? ""}`;
    let ids = this.ids.get(key);
    if (!ids) {
      ids =
        themeId === null
          ? Int32Array.from(this.coded.get(itemId)?.keys() ?? [])
          : Int32Array.from(this.byItem.get(itemId)?.get(themeId)?.values() ?? [], (t) => t.responseId);
      this.ids.set(key, ids);
    }
    return ids;
  }

  /**
   * How many of a theme's tagged respondents on an item pass `has` (`themeId` null: respondents
   * with any confirmed theme there, i.e. those coded).
   */
  count(itemId: number, themeId: number | null, has: (responseId: number) => boolean): number {
    let n = 0;
    const ids = this.responseIds(itemId, themeId);
    for (let i = 0; i < ids.length; i++) if (has(ids[i] as number)) n++;
    return n;
  }

  /** A theme's tags on an item, officer-picked quotes first, then by response (oldest first). */
  inQuoteOrder(itemId: number, themeId: number): readonly HeldTag[] {
    const key = `${itemId}:${themeId}`;
    let list = this.ordered.get(key);
    if (!list) {
      list = [...(this.byItem.get(itemId)?.get(themeId)?.values() ?? [])].sort(byQuoteThenResponse);
      this.ordered.set(key, list);
    }
    return list;
  }

  /** Theme ids with a confirmed tag on an item. */
  themesOf(itemId: number): number[] {
    return [...(this.byItem.get(itemId)?.keys() ?? [])];
  }
}
