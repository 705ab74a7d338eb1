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
    const picked = this.pick(consultationId, pick, inGroup);
    if (held.byKey.size >= GROUPS_KEPT) held.byKey.clear();
    held.byKey.set(key, picked);
    return picked;
  }

  private pick(
    consultationId: number,
    { itemId, themeIds, tags }: { itemId: number; themeIds: readonly number[]; tags: ConfirmedTags },
    inGroup: (responseId: number) => boolean,
  ): Record<number, string[]> {
    // Each theme's first candidates in the group, by id: a small group still gets quotes from its
    // own members whatever the other respondents said. A candidate's text is read only if needed.
    const chosen = new Map<number, { commentId: number; quote: boolean }[]>();
    const ids = new Set<number>();
    for (const themeId of themeIds) {
      const list: { commentId: number; quote: boolean }[] = [];
      for (const t of tags.inQuoteOrder(itemId, themeId)) {
        if (list.length >= CANDIDATES) break;
        if (!inGroup(t.responseId)) continue;
        list.push({ commentId: t.commentId, quote: t.quote });
        ids.add(t.commentId);
      }
      if (list.length > 0) chosen.set(themeId, list);
    }
    const texts = new Map(this.tags.texts(consultationId, [...ids]));
    const out: Record<number, string[]> = {};
    for (const [themeId, list] of chosen) {
      // A comment emptied by the retention job has nothing left to quote.
      const candidates = list.flatMap((c) => {
        const text = texts.get(c.commentId) ?? "";
        return text.trim() === "" ? [] : [{ text, quote: c.quote, words: this.wordsOf(c.commentId, text) }];
      });
      if (candidates.length === 0) continue;
      const picked = candidates.filter((c) => c.quote);
      out[themeId] = (picked.length > 0 ? picked.slice(0, QUOTES) : mostTypical(candidates, QUOTES)).map(
        (c) => c.text,
      );
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
