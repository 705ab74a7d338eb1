/**
 * Issue 13 items 4-6 measured on the public NHS feedback benchmark (../shared/benchmarks/themes):
 *
 * - theme discovery: hide one theme at a time; officers are taken to have coded every comment
 *   with the remaining codebook except a backlog (every fifth comment, uncoded). Discovery runs on
 *   the comments no theme covers; the candidate whose rule best matches the hidden theme's
 *   uncovered comments (F1) is scored by recall and precision.
 * - stance: the learned model (trained on the FFT rating, the closed answer beside each comment,
 *   5 folds) and natural's lexicon analyser against the labellers' `Comment sentiment` and
 *   against the `FFT categorical answer`: 3-class accuracy and Spearman correlation.
 * - campaigns: synthetic template letters injected into the comments (tests/bench/lib/campaigns.ts);
 *   pairwise precision and recall of the near-duplicate groups, and the time to group 100,000.
 */
import { discoverThemes } from "../../analysis/themes/discovery.js";
import { nearDuplicateGroups } from "../../analysis/themes/minhash.js";
import { lexiconStance, predictStance, type Stance, trainStance } from "../../analysis/themes/stance.js";
import { mulberry32 } from "../../db/seed/responses/shared.js";
import { injectCampaigns, pairScores, sentencesOf } from "./lib/campaigns.js";
import { loadNhsComments, type NhsComment } from "./lib/nhs-comments.js";
import { type Benchmark, fixed, int, type Outcome } from "./lib/report.js";

const MIN_EXAMPLES = 20;
const RECOVERED = 0.5;
/** A recovered set at least this precise is a theme found, not a rule matching everything. */
const PRECISE = 0.3;

export const themeDiscovery: Benchmark = {
  name: "theme-discovery",
  title: "Theme discovery: a hidden theme recovered by a candidate (NHS benchmark, public file)",
  async run(log): Promise<Outcome> {
    const all = loadNhsComments();
    const counts = new Map<string, number>();
    for (const c of all) for (const l of c.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const backlog = (i: number) => i % 5 === 0;
    const rows: string[][] = [];
    const recalls: number[] = [];
    let recovered = 0;
    let seconds = 0;
    for (const [hidden, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      if (n < MIN_EXAMPLES || hidden === "Not assigned") continue;
      const uncovered: NhsComment[] = [];
      const covered: NhsComment[] = [];
      all.forEach((c, i) => {
        (backlog(i) || !c.labels.some((l) => l !== hidden) ? uncovered : covered).push(c);
      });
      const truth = new Set(uncovered.flatMap((c, i) => (c.labels.includes(hidden) ? [i] : [])));
      if (truth.size < MIN_EXAMPLES) continue;
      const started = performance.now();
      const candidates = discoverThemes(
        uncovered.map((c) => c.text),
        covered.map((c) => c.text),
      );
      seconds += (performance.now() - started) / 1000;
      let best = { f1: 0, recall: 0, precision: 0, rule: "(none)" };
      for (const c of candidates) {
        let tp = 0;
        for (const i of c.matched) if (truth.has(i)) tp++;
        const f1 = tp === 0 ? 0 : (2 * tp) / (c.matched.length + truth.size);
        if (f1 > best.f1)
          best = {
            f1,
            recall: tp / truth.size,
            precision: tp / c.matched.length,
            rule: c.rule.replaceAll("\n", " | "),
          };
      }
      recalls.push(best.recall);
      if (best.recall >= RECOVERED) recovered++;
      rows.push([
        hidden.slice(0, 44),
        int(uncovered.length),
        int(truth.size),
        fixed(best.recall),
        fixed(best.precision),
        best.rule.slice(0, 60),
      ]);
      log(`  ${hidden}: recall ${fixed(best.recall)}`);
    }
    const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const median = middle(recalls);
    // Recall alone rewards a broad rule: say how precise the recovered sets were too.
    const precise = rows.filter((r) => Number(r[3]) >= RECOVERED && Number(r[4]) >= PRECISE).length;
    const f1s = rows.map((r) => {
      const [rec, pre] = [Number(r[3]), Number(r[4])];
      return rec + pre === 0 ? 0 : (2 * rec * pre) / (rec + pre);
    });
    return {
      tables: [
        {
          title:
            "Best candidate per hidden theme (recall and precision of its suggested rule among the uncovered comments)",
          columns: ["hidden theme", "uncovered", "of the theme", "recall", "precision", "suggested rule"],
          rows,
        },
      ],
      notes: [
        `${recovered} of ${recalls.length} hidden themes had a candidate recovering at least ${RECOVERED * 100}% of their uncovered comments; median recall ${fixed(median)}, median precision ${fixed(middle(rows.map((r) => Number(r[4]))))}, median F1 ${fixed(middle(f1s), 3)}; ${precise} recovered with precision >= ${PRECISE}; discovery took ${fixed(seconds / Math.max(1, recalls.length))} s per run on average.`,
        "Uncovered: comments with no label but the hidden one, plus a backlog (every fifth comment) not yet coded.",
      ],
      targets: [
        {
          name: `theme discovery: most hidden themes recovered (a candidate's rule finds >= ${RECOVERED * 100}% of their uncovered comments)`,
          measured: `${recovered}/${recalls.length}`,
          pass: recovered * 2 > recalls.length,
        },
      ],
    };
  },
};

/** Spearman's rank correlation, ties given their average rank. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const r = new Array<number>(v.length);
    for (let s = 0; s < order.length; ) {
      let e = s;
      while (e + 1 < order.length && order[e + 1]?.value === order[s]?.value) e++;
      for (let k = s; k <= e; k++) r[order[k]?.i ?? 0] = (s + e) / 2 + 1;
      s = e + 1;
    }
    return r;
  };
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (rx[i] ?? 0) - mean;
    const b = (ry[i] ?? 0) - mean;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

const fromFive = (v: number | null): Stance | undefined =>
  v === 1 || v === 2 ? "supports" : v === 3 ? "mixed" : v === 4 || v === 5 ? "opposes" : undefined;

export const stance: Benchmark = {
  name: "stance",
  title:
    "Stance per comment: learned from the closed answers vs natural's sentiment analyser (NHS benchmark)",
  async run(): Promise<Outcome> {
    const all = loadNhsComments();
    const learned = new Map<string, { stance: Stance; score: number }>();
    const started = performance.now();
    for (let fold = 0; fold < 5; fold++) {
      const model = trainStance(
        all.flatMap((c, i) => {
          const s = fromFive(c.rating);
          return i % 5 !== fold && s ? [{ text: c.text, stance: s }] : [];
        }),
      );
      all.forEach((c, i) => {
        if (i % 5 === fold) learned.set(c.id, predictStance(model, c.text));
      });
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const lexicon = new Map(all.map((c) => [c.id, lexiconStance(c.text)]));
    const measure = (
      pred: (c: NhsComment) => { stance: Stance; score: number } | undefined,
      truth: (c: NhsComment) => number | null,
    ) => {
      let n = 0;
      let ok = 0;
      const xs: number[] = [];
      const ys: number[] = [];
      for (const c of all) {
        const t = truth(c);
        const want = fromFive(t);
        const p = pred(c);
        if (!want || !p || t === null) continue;
        n++;
        if (p.stance === want) ok++;
        xs.push(p.score);
        ys.push(-t); // 1 is very positive: negate so that both rise together
      }
      return { accuracy: ok / n, rho: spearman(xs, ys), n };
    };
    const rating = (c: NhsComment) => {
      const s = fromFive(c.rating);
      return s && c.rating !== null ? { stance: s, score: -c.rating } : undefined;
    };
    const methods = [
      ["learned from the closed answers (5-fold)", (c: NhsComment) => learned.get(c.id)],
      ["natural SentimentAnalyzer (AFINN), the baseline", (c: NhsComment) => lexicon.get(c.id)],
      ["the closed answer itself (reference)", rating],
    ] as const;
    const sentiment = methods.map(([name, f]) => ({ name, ...measure(f, (c) => c.sentiment) }));
    const fft = methods.slice(0, 2).map(([name, f]) => ({ name, ...measure(f, (c) => c.rating) }));
    const row = (r: { name: string; accuracy: number; rho: number; n: number }) => [
      r.name,
      int(r.n),
      fixed(r.accuracy, 3),
      fixed(r.rho, 3),
    ];
    const [learnedS, lexiconS] = sentiment;
    return {
      tables: [
        {
          title: "Against the labellers' Comment sentiment (1-2 supports, 3 mixed, 4-5 opposes)",
          columns: ["method", "comments", "3-class accuracy", "Spearman"],
          rows: sentiment.map(row),
        },
        {
          title: "Against the FFT categorical answer (1-2, 3, 4-5; 6 and 7 left out)",
          columns: ["method", "comments", "3-class accuracy", "Spearman"],
          rows: fft.map(row),
        },
      ],
      notes: [
        `Training the learned model on ~3,800 comments and predicting the rest took ${fixed(trainSeconds / 5, 2)} s per fold.`,
        "The learned model is trained on the ratings; its accuracy against the ratings is in-domain, against the sentiment labels it is not.",
      ],
      targets: [
        {
          name: "stance: learned accuracy on Comment sentiment >= natural's analyser",
          measured: `${fixed(learnedS?.accuracy ?? 0, 3)} vs ${fixed(lexiconS?.accuracy ?? 0, 3)}`,
          pass: (learnedS?.accuracy ?? 0) >= (lexiconS?.accuracy ?? 1),
        },
        {
          name: "stance: learned Spearman on Comment sentiment >= natural's analyser",
          measured: `${fixed(learnedS?.rho ?? 0, 3)} vs ${fixed(lexiconS?.rho ?? 0, 3)}`,
          pass: (learnedS?.rho ?? 0) >= (lexiconS?.rho ?? 1),
        },
      ],
    };
  },
};

const CAMPAIGN_SECONDS = 10;
const BIG = 100_000;

export const campaigns: Benchmark = {
  name: "campaigns",
  title:
    "Campaigns and near-duplicates: synthetic template letters in the benchmark comments (MinHash + LSH, Jaccard >= 0.8)",
  async run(log): Promise<Outcome> {
    const real = loadNhsComments().map((c) => c.text);
    const sentences = sentencesOf(real);
    const rows: string[][] = [];
    const targets = [];
    // 1. The real comments with 12 campaigns of 5 to 300 copies.
    const small = injectCampaigns(real, sentences, mulberry32(7), 12, 5, 300);
    let started = performance.now();
    const smallGroups = nearDuplicateGroups(small.texts);
    const smallMs = performance.now() - started;
    const s = pairScores(smallGroups, small.campaign);
    rows.push([
      "benchmark comments + 12 campaigns",
      int(small.texts.length),
      fixed(s.precision, 3),
      fixed(s.recall, 3),
      `${fixed(smallMs / 1000, 2)} s`,
    ]);
    // 2. 100,000 comments: background drawn word by word from the benchmark's words and lengths
    //    (no accidental duplicates), with 20 campaigns of 50 to 450 copies.
    const rand = mulberry32(11);
    const vocabulary = real.flatMap((t) => t.toLowerCase().split(" ")).filter((w) => w !== "");
    const lengths = real.map((t) => t.split(" ").length);
    const background: string[] = [];
    const bigCampaigns = injectCampaigns([], sentences, rand, 20, 50, 450);
    while (background.length + bigCampaigns.texts.length < BIG) {
      const n = lengths[Math.floor(rand() * lengths.length)] ?? 10;
      const w: string[] = [];
      for (let j = 0; j < n; j++) w.push(vocabulary[Math.floor(rand() * vocabulary.length)] ?? "");
      background.push(w.join(" "));
    }
    const big = {
      texts: [...background, ...bigCampaigns.texts],
      campaign: [...background.map(() => -1), ...bigCampaigns.campaign],
    };
    log(`  grouping ${int(big.texts.length)} comments...`);
    globalThis.gc?.();
    started = performance.now();
    const bigGroups = nearDuplicateGroups(big.texts);
    const bigSeconds = (performance.now() - started) / 1000;
    const b = pairScores(bigGroups, big.campaign);
    rows.push([
      `${int(big.texts.length)} comments + 20 campaigns`,
      int(big.texts.length),
      fixed(b.precision, 3),
      fixed(b.recall, 3),
      `${fixed(bigSeconds, 2)} s`,
    ]);
    targets.push(
      {
        name: `campaigns: ${int(BIG)} comments grouped in <= ${CAMPAIGN_SECONDS} s`,
        measured: `${fixed(bigSeconds, 2)} s`,
        pass: bigSeconds <= CAMPAIGN_SECONDS,
      },
      {
        name: "campaigns: pair precision >= 0.95 (our floor; the issue sets none)",
        measured: `${fixed(Math.min(s.precision, b.precision), 3)}`,
        pass: Math.min(s.precision, b.precision) >= 0.95,
      },
      {
        name: "campaigns: pair recall >= 0.8 (our floor; the issue sets none)",
        measured: `${fixed(Math.min(s.recall, b.recall), 3)}`,
        pass: Math.min(s.recall, b.recall) >= 0.8,
      },
    );
    return {
      tables: [
        {
          title: "Grouping of the injected campaign copies (pairs with at least one injected copy)",
          columns: ["comments", "n", "precision", "recall", "time"],
          rows,
        },
      ],
      notes: [
        "Each copy of a template letter (8-14 real sentences) has 1-3 words changed, dropped or added, two sentences swapped half the time, and a line of its own added 40% of the time.",
      ],
      targets,
    };
  },
};
