/** One confirmed tag as held: the comment, its response, and whether an officer picked it as a quote. */
export interface HeldTag {
  commentId: number;
  responseId: number;
  quote: boolean;
}

const byQuoteThenResponse = (a: HeldTag, b: HeldTag) =>
  Number(b.quote) - Number(a.quote) || a.responseId - b.responseId;

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
    if (!tags.has(tag.commentId)) {
      let coded = this.coded.get(itemId);
      if (!coded) {
        coded = new Map();
        this.coded.set(itemId, coded);
      }
      coded.set(tag.responseId, (coded.get(tag.responseId) ?? 0) + 1);
    }
    tags.set(tag.commentId, tag);
    this.itemOf.set(tag.commentId, itemId);
    this.changed(itemId, themeId);
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
    if (n > 0) coded?.set(tag.responseId, n);
    else {
      coded?.delete(tag.responseId);
      // No theme of this comment is confirmed any longer.
      this.itemOf.delete(commentId);
    }
    this.changed(itemId, themeId);
  }

  private changed(itemId: number, themeId: number): void {
    this.ordered.delete(`${itemId}:${themeId}`);
    this.ids.delete(`${itemId}:${themeId}`);
    this.ids.delete(`${itemId}:`);
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
