/**
 * Synthetic campaigns for the near-duplicate benchmark: template letters built from real comment
 * sentences, each copy with small edits (words changed, dropped or added), sometimes two sentences
 * swapped, and sometimes a line of the sender's own added, as organised responses arrive.
 */
export interface Injected {
  texts: string[];
  /** For each text, its campaign number, or -1 for a comment of the background. */
  campaign: number[];
}

export function sentencesOf(texts: readonly string[]): string[] {
  return texts
    .flatMap((t) => t.split(/[.!?]\s+/))
    .map((s) => s.trim())
    .filter((s) => s.split(" ").length >= 6);
}

function pick<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

/** A copy of a template letter with the edits a sender makes. */
export function variant(
  template: string[],
  vocabulary: readonly string[],
  extra: readonly string[],
  rand: () => number,
): string {
  const sentences = [...template];
  if (rand() < 0.5 && sentences.length > 2) {
    const i = Math.floor(rand() * (sentences.length - 1));
    [sentences[i], sentences[i + 1]] = [sentences[i + 1] as string, sentences[i] as string];
  }
  const words = sentences.join(". ").split(" ");
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * words.length);
    const r = rand();
    if (r < 0.4) words[at] = pick(vocabulary, rand);
    else if (r < 0.7 && words.length > 10) words.splice(at, 1);
    else words.splice(at, 0, pick(vocabulary, rand));
  }
  let text = `${words.join(" ")}.`;
  if (rand() < 0.4) text += ` ${pick(extra, rand)}.`;
  return text;
}

/**
 * Add `campaigns` campaigns (sizes between `minSize` and `maxSize`) to the background texts, at
 * random places.
 */
export function injectCampaigns(
  background: readonly string[],
  sentences: readonly string[],
  rand: () => number,
  campaigns: number,
  minSize: number,
  maxSize: number,
): Injected {
  const vocabulary = sentences.flatMap((s) => s.split(" ")).filter((w) => /^[a-z]{3,12}$/.test(w));
  const items: { text: string; campaign: number }[] = background.map((text) => ({ text, campaign: -1 }));
  for (let c = 0; c < campaigns; c++) {
    // A letter of a few paragraphs: 8 to 14 sentences.
    const template = Array.from({ length: 8 + Math.floor(rand() * 7) }, () => pick(sentences, rand));
    const size = minSize + Math.floor(rand() * (maxSize - minSize + 1));
    for (let m = 0; m < size; m++)
      items.push({ text: variant(template, vocabulary, sentences, rand), campaign: c });
  }
  // Shuffle (Fisher-Yates), so campaign copies arrive among the other comments.
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [
      items[j] as { text: string; campaign: number },
      items[i] as { text: string; campaign: number },
    ];
  }
  return { texts: items.map((x) => x.text), campaign: items.map((x) => x.campaign) };
}

/**
 * Pairwise precision and recall of a grouping against the injected campaigns, over pairs with at
 * least one injected copy (the background's own near-duplicates are real and not scored).
 */
export function pairScores(groups: readonly { members: number[] }[], campaign: readonly number[]) {
  const groupOf = new Int32Array(campaign.length).fill(-1);
  groups.forEach((g, k) => {
    for (const m of g.members) groupOf[m] = k;
  });
  let truePairs = 0;
  const sizes = new Map<number, number>();
  for (const c of campaign) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  for (const n of sizes.values()) truePairs += (n * (n - 1)) / 2;
  let found = 0;
  let correct = 0;
  for (const g of groups) {
    const byCampaign = new Map<number, number>();
    let background = 0;
    for (const m of g.members) {
      const c = campaign[m] ?? -1;
      if (c < 0) background++;
      else byCampaign.set(c, (byCampaign.get(c) ?? 0) + 1);
    }
    const injected = g.members.length - background;
    // Pairs with at least one injected member: all pairs minus background-only pairs.
    found += (g.members.length * (g.members.length - 1)) / 2 - (background * (background - 1)) / 2;
    for (const n of byCampaign.values()) correct += (n * (n - 1)) / 2;
    void injected;
  }
  return { precision: found === 0 ? 1 : correct / found, recall: truePairs === 0 ? 1 : correct / truePairs };
}
