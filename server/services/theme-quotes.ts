import { stems } from "../../analysis/themes/tokens.js";
import { mostTypical } from "../../analysis/themes/typical.js";
import type { ConfirmedTags } from "../../db/confirmed-tags.js";
import type { TagRepository } from "../../db/tags.js";

/** Representative quotes per theme. */
export const QUOTES = 3;
/** Confirmed comments per theme the most typical quotes are chosen from. */
const CANDIDATES = 60;
/** Comments whose stemmed words are kept between requests (about 1 kB each). */
const STEMS_KEPT = 20_000;
/** Groups of respondents per consultation whose quotes are kept. */
const GROUPS_KEPT = 200;

/**
 * Up to three quotes per theme of one question from a group of respondents: the officers' picks,
 * else the most typical of the theme's first confirmed comments. The candidates come from the
 * confirmed tags held in memory, so only their texts are read; their stemmed words are kept by
 * comment (checked against the text, which the retention job may have emptied), so choosing again
 * after a tag changes costs one read of a few hundred texts, not stemming them all again.
 */
export class ThemeQuotes {
  private readonly held = new Map<
    number,
    { version: string; byKey: Map<string, Record<number, string[]>> }
  >();
  private readonly words = new Map<number, { text: string; words: ReadonlySet<string> }>();
  /** consultation:group:theme -> the candidates last weighed (their ids and quote picks) and the quotes chosen. */
  private readonly lastPicks = new Map<string, { signature: string; ids: number[]; texts: string[] }>();

  constructor(private readonly tags: TagRepository) {}

  /**
   * The quotes of each theme of one item for one group, held until `version` (of the tags and the
   * responses) changes. `inGroup` keeps the respondents whose comments may be quoted: the group,
   * never a response set aside or still being imported, and at most one comment per campaign.
   */
  quotes(
    consultationId: number,
    version: string,
    key: string,
    pick: { itemId: number; themeIds: readonly number[]; tags: ConfirmedTags },
    inGroup: (responseId: number) => boolean,
  ): Record<number, string[]> {
    let held = this.held.get(consultationId);
    if (!held || held.version !== version) {
      held = { version, byKey: new Map() };
      this.held.set(consultationId, held);
    }
    const known = held.byKey.get(key);
    if (known) return known;
    const picked = this.pick(consultationId, pick, inGroup, key);
    if (held.byKey.size >= GROUPS_KEPT) held.byKey.clear();
    held.byKey.set(key, picked);
    return picked;
  }

  private pick(
    consultationId: number,
    { itemId, themeIds, tags }: { itemId: number; themeIds: readonly number[]; tags: ConfirmedTags },
    inGroup: (responseId: number) => boolean,
    key: string,
  ): Record<number, string[]> {
    // Each theme's first candidates in the group, by id: a small group still gets quotes from its
    // own members whatever the other respondents said. A candidate's text is read only if needed.
    const chosen = new Map<number, { commentId: number; quote: boolean }[]>();
    for (const themeId of themeIds) {
      const list: { commentId: number; quote: boolean }[] = [];
      for (const t of tags.inQuoteOrder(itemId, themeId)) {
        if (list.length >= CANDIDATES) break;
        if (!inGroup(t.responseId)) continue;
        list.push({ commentId: t.commentId, quote: t.quote });
      }
      if (list.length > 0) chosen.set(themeId, list);
    }
    // A theme whose candidates are the ones it had last time keeps its quotes, if their words are
    // still what they were (the retention job may have deleted them): after one tag changes, only
    // that theme's candidates are read and weighed again.
    const signatures = new Map<number, string>();
    for (const [themeId, list] of chosen)
      signatures.set(themeId, list.map((c) => (c.quote ? `${c.commentId}q` : c.commentId)).join(","));
    const kept = new Map<number, { ids: number[]; texts: string[] }>();
    const ids = new Set<number>();
    for (const [themeId, list] of chosen) {
      const last = this.lastPicks.get(`${consultationId}:${key}:${themeId}`);
      if (last && last.signature === signatures.get(themeId)) {
        kept.set(themeId, last);
        for (const id of last.ids) ids.add(id);
      } else for (const c of list) ids.add(c.commentId);
    }
    const texts = new Map(this.tags.texts(consultationId, [...ids]));
    const stale = [...kept].filter(([, last]) => last.ids.some((id, k) => texts.get(id) !== last.texts[k]));
    if (stale.length > 0) {
      for (const [themeId] of stale) kept.delete(themeId);
      const more = stale.flatMap(([themeId]) => (chosen.get(themeId) ?? []).map((c) => c.commentId));
      for (const [id, text] of this.tags.texts(consultationId, more)) texts.set(id, text);
    }
    const out: Record<number, string[]> = {};
    for (const [themeId, list] of chosen) {
      const reuse = kept.get(themeId);
      if (reuse) {
        if (reuse.texts.length > 0) out[themeId] = reuse.texts;
        continue;
      }
      // A comment emptied by the retention job has nothing left to quote.
      const candidates = list.flatMap((c) => {
        const text = texts.get(c.commentId) ?? "";
        return text.trim() === ""
          ? []
          : [{ id: c.commentId, text, quote: c.quote, words: this.wordsOf(c.commentId, text) }];
      });
      const picked = candidates.filter((c) => c.quote);
      const quotes = picked.length > 0 ? picked.slice(0, QUOTES) : mostTypical(candidates, QUOTES);
      if (this.lastPicks.size >= STEMS_KEPT) this.lastPicks.clear();
      this.lastPicks.set(`${consultationId}:${key}:${themeId}`, {
        signature: signatures.get(themeId) ?? "",
        ids: quotes.map((c) => c.id),
        texts: quotes.map((c) => c.text),
      });
      if (quotes.length > 0) out[themeId] = quotes.map((c) => c.text);
    }
    return out;
  }

  private wordsOf(commentId: number, text: string): ReadonlySet<string> {
    const known = this.words.get(commentId);
    if (known && known.text === text) return known.words;
    const words = new Set(stems(text));
    if (this.words.size >= STEMS_KEPT) this.words.clear();
    this.words.set(commentId, { text, words });
    return words;
  }
}
