import { describe, expect, it } from "vitest";
import { discoverThemes, logOddsZ } from "../../analysis/themes/discovery.js";
import { jaccard, nearDuplicateGroups, shingleSet, words } from "../../analysis/themes/minhash.js";
import { matcher, parseRules } from "../../analysis/themes/rules.js";
import {
  lexiconStance,
  predictStance,
  stanceFeatures,
  stanceOfGroup,
  trainStance,
  usableModel,
} from "../../analysis/themes/stance.js";

const LETTER =
  "Please keep the library on Station Road open. It is used by older people and children every day. " +
  "The council should find the money elsewhere and protect this service for the whole community. " +
  "Closing it would leave the village with nowhere to meet, study or borrow books.";

describe("near-duplicate comments (MinHash + LSH)", () => {
  it("groups identical and near-identical letters, and leaves different and short comments alone", () => {
    const edited = LETTER.replace("older", "elderly").replace("every day", "daily");
    const reordered = LETTER.split(". ").reverse().join(". ");
    const extra = `${LETTER} My family has used it for forty years.`;
    const texts = [
      LETTER,
      "Parking charges in the town centre are far too high for people on low incomes.",
      edited,
      "Very good",
      "Very good",
      reordered,
      extra,
      LETTER,
      "The bus route to the hospital should run on Sundays as well as weekdays please.",
    ];
    const groups = nearDuplicateGroups(texts);
    expect(groups).toEqual([{ members: [0, 2, 5, 6, 7] }]);
    expect(jaccard(shingleSet(LETTER), shingleSet(LETTER))).toBe(1);
  });

  it("keeps pairs below the threshold apart, and groups them when the threshold is lowered", () => {
    const half = `${LETTER.split(". ").slice(0, 2).join(". ")}. Something else entirely about the roads and potholes near the school gates.`;
    const j = jaccard(shingleSet(LETTER), shingleSet(half));
    expect(j).toBeLessThan(0.8);
    expect(nearDuplicateGroups([LETTER, half])).toEqual([]);
    // One row per band: any pair sharing a single MinHash value is a candidate, so a lower
    // threshold is not hidden by the banding tuned for 0.8.
    expect(nearDuplicateGroups([LETTER, half], { threshold: j - 0.01, bands: 64 })).toEqual([
      { members: [0, 1] },
    ]);
  });

  it("joins a campaign through its members: each copy near another, the ends further apart", () => {
    const steps = [LETTER];
    const swaps: [string, string][] = [
      ["library", "branch library"],
      ["older", "elderly"],
      ["children", "young children"],
      ["money", "funding"],
      ["village", "town"],
    ];
    let t = LETTER;
    for (const [from, to] of swaps) {
      t = t.replace(from, to);
      steps.push(t);
    }
    expect(jaccard(shingleSet(steps[0] ?? ""), shingleSet(steps[5] ?? ""))).toBeLessThan(0.8);
    expect(nearDuplicateGroups(steps)[0]?.members).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("cuts words by a character loop: letters, digits and apostrophes, lower-cased", () => {
    expect(words("Don't CLOSE it: 24/7, café!")).toEqual(["dont", "close", "it", "24", "7", "café"]);
  });
});

describe("stance", () => {
  it("reads a closed answer's scale group as a stance label", () => {
    expect(stanceOfGroup("positive")).toBe("supports");
    expect(stanceOfGroup("negative")).toBe("opposes");
    expect(stanceOfGroup("neutral")).toBe("mixed");
    expect(stanceOfGroup("excluded")).toBeUndefined();
  });

  it("marks the words after a negation", () => {
    expect(stanceFeatures("not helpful at all")).toContain("not_help");
    expect(stanceFeatures("very helpful")).toContain("help");
  });

  it("learns from labels taken from closed answers, whichever side is larger", () => {
    const good = [
      "great plan, fully support it",
      "support the new park",
      "good idea, well done",
      "support this",
    ];
    const bad = ["terrible plan, object strongly", "object to the closure", "bad idea, waste of money"];
    const examples = [
      ...Array.from({ length: 60 }, (_, i) => ({
        text: good[i % good.length] ?? "",
        stance: "supports" as const,
      })),
      ...Array.from({ length: 21 }, (_, i) => ({
        text: bad[i % bad.length] ?? "",
        stance: "opposes" as const,
      })),
    ];
    const model = trainStance(examples);
    expect(usableModel(model)).toBe(true);
    expect(predictStance(model, "I object, a waste of money").stance).toBe("opposes");
    expect(predictStance(model, "I support the plan, a good idea").stance).toBe("supports");
    expect(predictStance(model, "zebra crossing").stance).toBe("mixed");
    expect(usableModel(trainStance(examples.slice(0, 70)))).toBe(false);
  });

  it("falls back on natural's sentiment analyser", () => {
    expect(lexiconStance("The staff were wonderful and kind").stance).toBe("supports");
    expect(lexiconStance("Terrible, rude and dirty").stance).toBe("opposes");
    expect(lexiconStance("The meeting is on Tuesday").stance).toBe("mixed");
  });
});

describe("theme discovery", () => {
  const covered = Array.from({ length: 200 }, (_, i) =>
    i % 2 === 0
      ? "The library opening hours are too short on Saturdays"
      : "Library staff were helpful and kind",
  );
  const parking = [
    "Parking charges are far too high in the town centre",
    "There is never any parking near the clinic",
    "The car park charges put people off visiting",
    "Free parking for carers would help a great deal",
  ];
  const bins = ["Bin collections are missed every other week", "The recycling bins were not collected again"];
  const uncovered = Array.from({ length: 120 }, (_, i) =>
    i % 3 === 2 ? (bins[i % bins.length] ?? "") : (parking[i % parking.length] ?? ""),
  );

  it("proposes candidates with distinctive words, samples and a rule that parses and matches them", () => {
    const candidates = discoverThemes(uncovered, covered, { seed: 3 });
    expect(candidates.length).toBeGreaterThan(0);
    const park = candidates.find((c) =>
      c.terms.some((t) => t.startsWith("parking") || t.startsWith("charges")),
    );
    expect(park).toBeDefined();
    if (!park) return;
    const rules = parseRules(park.rule);
    expect(rules.ok).toBe(true);
    if (!rules.ok) return;
    const test = matcher(rules.rules);
    // The rule matches exactly what the candidate says it matches, and its samples are among them.
    expect(uncovered.flatMap((t, i) => (test(t) ? [i] : []))).toEqual(park.matched);
    for (const s of park.samples) expect(park.matched).toContain(s);
    expect(park.coveredShare).toBe(0);
    // Most of the parking comments, few of the others.
    const isParking = (i: number) => i % 3 !== 2;
    const hits = park.matched.filter(isParking).length;
    expect(hits / uncovered.filter((_, i) => isParking(i)).length).toBeGreaterThan(0.5);
    expect(hits / park.matched.length).toBeGreaterThan(0.9);
  });

  it("gives a theme too small for a cluster of its own a candidate of its own", () => {
    // One comment in twenty is about medicines, the rest about waiting; two clusters are too few
    // for the medicines to have one, so only a group started from one of their words finds them.
    const opening = [
      "The queue was slow",
      "Nobody told us how long it would be",
      "Waited four hours",
      "The wait was long",
      "Waiting times are terrible",
      "Long wait to be seen",
      "Had to wait weeks",
    ];
    const place = [
      "in the emergency department",
      "at the walk in centre",
      "for the ambulance",
      "for an appointment",
      "to see a doctor",
      "at the clinic",
    ];
    const medicine = [
      "The pharmacy got my medication wrong again",
      "My tablets prescription was late",
      "Ran out of my medication, the prescription was delayed",
      "Could not get my tablets from the pharmacy",
    ];
    const isMedicine = (i: number) => i % 20 === 0;
    const uncovered = Array.from({ length: 200 }, (_, i) =>
      isMedicine(i)
        ? (medicine[(i / 20) % medicine.length] ?? "")
        : `${opening[i % 7]} ${place[Math.floor(i / 7) % 6]}`,
    );
    const candidates = discoverThemes(uncovered, covered, { seed: 2, clusters: 2 });
    const own = candidates.filter((c) => c.matched.length >= 5 && c.matched.every(isMedicine));
    expect(own.length).toBeGreaterThan(0);
    for (const c of candidates) {
      const rules = parseRules(c.rule);
      expect(rules.ok).toBe(true);
      if (!rules.ok) return;
      expect(uncovered.flatMap((t, i) => (matcher(rules.rules)(t) ? [i] : []))).toEqual(c.matched);
    }
  });

  it("scores terms by log-odds: frequent here and rare there is distinctive", () => {
    const z = logOddsZ(
      new Map([
        ["park", 40],
        ["librari", 2],
      ]),
      50,
      new Map([["librari", 90]]),
      100,
    );
    expect(z.get("park") ?? 0).toBeGreaterThan(3);
    expect(z.get("librari") ?? 0).toBeLessThan(0);
  });

  it("gives the same candidates for the same seed, and none for too few comments", () => {
    expect(discoverThemes(uncovered, covered, { seed: 5 })).toEqual(
      discoverThemes(uncovered, covered, { seed: 5 }),
    );
    expect(discoverThemes(uncovered.slice(0, 3), covered)).toEqual([]);
  });
});
