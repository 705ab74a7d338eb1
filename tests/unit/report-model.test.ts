import { describe, expect, it } from "vitest";
import {
  type ConsultationDefinition,
  type DefinitionInput,
  definitionSchema,
} from "../../analysis/definition.js";
import { respondentsSentence } from "../../analysis/report/background.js";
import {
  buildReport,
  type CommentInput,
  type ReportModel,
  type WeDidEntry,
} from "../../analysis/report/model.js";
import {
  agreementObject,
  choiceSentence,
  gridLowest,
  gridRanking,
  likertHeadline,
  multipleNote,
  statementNoun,
} from "../../analysis/report/sentences.js";
import { shiftSentences } from "../../analysis/report/shifts.js";
import { quoteInSentence } from "../../analysis/report/words.js";
import {
  likertDistribution,
  multipleChoice,
  pairedShift,
  rankShifts,
  singleChoice,
} from "../../analysis/results/index.js";
import type { ConsultationResults, PairedSetResult } from "../../analysis/results/model.js";
import { builtInScales, type Scale } from "../../analysis/scales.js";

function scale(id: string): Scale {
  const found = builtInScales.find((s) => s.id === id);
  if (!found) throw new Error(`no built-in scale ${id}`);
  return found;
}
const agreement = scale("agreement-5");
const importance = scale("importance-4");
const undecided = scale("agree-undecided-disagree");

type Tally = Record<string, number>;
const dist = (s: Scale, counts: Tally) => likertDistribution(s, counts, 0);

/** Transitions from a list of [before, after, count]. */
function transitions(cells: [string, string, number][]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [b, a, n] of cells) out[b] = { ...(out[b] ?? {}), [a]: n };
  return out;
}

const STATEMENTS = [
  { id: "understand", text: "I understand the financial challenges the Council faces" },
  { id: "best-job", text: "The Council is doing the best job it can with the limited resources available" },
  { id: "community", text: "The community has a role to play" },
];

function pairedSet(cells: Record<string, [string, string, number][]>): PairedSetResult {
  const set = { id: "views", scale: "agreement-5", statements: STATEMENTS };
  const shifts = STATEMENTS.filter((s) => cells[s.id]).map((s) =>
    pairedShift(agreement, s, transitions(cells[s.id] ?? [])),
  );
  return {
    set,
    moments: { before: "before reading the strategy", after: "after reading the strategy" },
    scale: agreement,
    before: { id: "views-before", text: "Before" },
    after: { id: "views-after", text: "After" },
    shifts,
    ranked: rankShifts(shifts),
  };
}

describe("respondents by channel", () => {
  it("names each channel, largest first", () => {
    expect(
      respondentsSentence(43, [
        { channel: "paper", n: 2 },
        { channel: "online", n: 38 },
        { channel: "email", n: 3 },
      ]),
    ).toBe("43 people responded: 38 online, 3 by email and 2 on paper.");
    expect(respondentsSentence(43, [{ channel: "online", n: 43 }])).toBe("43 people responded, all online.");
    expect(respondentsSentence(1, [{ channel: "paper", n: 1 }])).toBe("1 person responded on paper.");
    expect(respondentsSentence(0, [])).toBe("Nobody responded.");
    expect(
      respondentsSentence(1259, [
        { channel: "online", n: 1000 },
        { channel: "event", n: 259 },
      ]),
    ).toBe("1,259 people responded: 1,000 online and 259 at events.");
  });
});

describe("Likert headlines", () => {
  it("says what was agreed with, the strongest share and the neutral middle", () => {
    const d = dist(agreement, {
      "strongly-agree": 39,
      agree: 40,
      neither: 11,
      disagree: 6,
      "strongly-disagree": 4,
      "dont-know": 5,
    });
    expect(likertHeadline(agreement, d, "To what extent do you agree or disagree with the vision?")).toBe(
      "79% of respondents agreed with the vision (39% strongly), 11% neither agreed nor disagreed and 10% disagreed (4% strongly).",
    );
  });

  it("rounds every percentage at display, from the unrounded share (22 of 42 is 52%)", () => {
    const d = dist(agreement, { "strongly-agree": 6, agree: 16, neither: 11, disagree: 9, "dont-know": 1 });
    const text = likertHeadline(
      agreement,
      d,
      "Overall, I think the strategy sets out the best way forward. How far do you agree or disagree?",
    );
    expect(text).toBe(
      "52% of respondents agreed with the statement ‘Overall, I think the strategy sets out the best way forward’ (14% strongly), 26% neither agreed nor disagreed and 21% disagreed.",
    );
  });

  it("words three-point and importance scales in their own terms", () => {
    expect(
      likertHeadline(
        undecided,
        dist(undecided, { agree: 71, undecided: 23, disagree: 3 }),
        "Do you agree with the principles?",
      ),
    ).toBe("73% of respondents agreed with the principles, 24% were undecided and 3% disagreed.");
    expect(
      likertHeadline(
        importance,
        dist(importance, { very: 20, fairly: 38, "not-very": 19, "not-at-all": 23 }),
        "How important is housing?",
      ),
    ).toBe(
      "58% of respondents said it was important (20% very important) and 42% said it was not important (23% not at all important).",
    );
  });

  it("says so when nobody chose a point on the scale", () => {
    expect(likertHeadline(agreement, dist(agreement, { "dont-know": 3 }), "Q?")).toBe(
      "Nobody chose a point on the scale for this question.",
    );
  });

  it("finds the object of agreement only when the question names one", () => {
    expect(agreementObject("To what extent do you agree or disagree with the vision statement?")).toBe(
      " with the vision statement",
    );
    expect(agreementObject("To what extent do you agree or disagree with each of these statements?")).toBe(
      "",
    );
    expect(agreementObject("How would you rate the strength of the assets?")).toBe("");
  });
});

describe("grids: principles, outcomes and aims", () => {
  const outcomes = [
    {
      id: "a",
      text: "Improving Opportunities",
      distribution: dist(agreement, {
        "strongly-agree": 58,
        agree: 30,
        neither: 7,
        disagree: 3,
        "strongly-disagree": 2,
      }),
    },
    {
      id: "b",
      text: "Clean, Green Future",
      distribution: dist(agreement, {
        "strongly-agree": 54,
        agree: 29,
        neither: 10,
        disagree: 4,
        "strongly-disagree": 3,
      }),
    },
    {
      id: "c",
      text: "Strong Economy, Transport and Infrastructure",
      distribution: dist(agreement, {
        "strongly-agree": 34,
        agree: 34,
        neither: 15,
        disagree: 11,
        "strongly-disagree": 6,
      }),
    },
  ];

  it("names the highest and the lowest, with their agreement", () => {
    expect(gridRanking(agreement, outcomes)).toBe(
      "Agreement was highest for ‘Improving Opportunities’ (88%) and lowest for ‘Strong Economy, Transport and Infrastructure’ (68%).",
    );
  });

  it("gives the least popular with each way of disagreeing, and names what the statements are", () => {
    const question = "To what extent do you agree or disagree with each outcome?";
    expect(statementNoun(question)).toBe("outcome");
    expect(gridLowest(agreement, outcomes, question)).toBe(
      "The least popular outcome was ‘Strong Economy, Transport and Infrastructure’: 68% agreed (34% strongly), while 11% chose ‘Tend to disagree’ and 6% ‘Strongly disagree’.",
    );
    expect(
      statementNoun("To what extent do you agree or disagree with each of the key commissioning principles?"),
    ).toBe("principle");
    expect(statementNoun("How important is each of these aims for 2026 to you?")).toBe("aim");
    expect(statementNoun("Rate each of these")).toBe("statement");
  });

  it("reports ties as ties", () => {
    const tied = [
      {
        id: "x",
        text: "Make decisions based on evidence",
        distribution: dist(agreement, { agree: 37, neither: 5 }),
      },
      { id: "y", text: "Collaborate with others", distribution: dist(agreement, { agree: 37, disagree: 5 }) },
      {
        id: "z",
        text: "Use an enhanced commercial approach",
        distribution: dist(agreement, { agree: 20, disagree: 21 }),
      },
    ];
    expect(gridRanking(agreement, tied)).toBe(
      "Agreement was highest for ‘Make decisions based on evidence’ and ‘Collaborate with others’ (88% each) and lowest for ‘Use an enhanced commercial approach’ (49%).",
    );
    const allSame = tied.slice(0, 2);
    expect(gridRanking(agreement, allSame)).toBe("Agreement was the same for every statement (88%).");
    expect(gridLowest(agreement, allSame)).toBeNull();
    expect(gridRanking(agreement, tied.slice(0, 1))).toBeNull();
  });

  it("words importance grids in terms of importance", () => {
    const aims = [
      {
        id: "jobs",
        text: "More opportunities for young people",
        distribution: dist(importance, { very: 67, fairly: 29, "not-very": 3, "not-at-all": 1 }),
      },
      {
        id: "housing",
        text: "Housing development that meets the needs of a growing population",
        distribution: dist(importance, { very: 20, fairly: 38, "not-very": 19, "not-at-all": 23 }),
      },
    ];
    expect(gridRanking(importance, aims)).toBe(
      "Importance was highest for ‘More opportunities for young people’ (96%) and lowest for ‘Housing development that meets the needs of a growing population’ (58%).",
    );
    expect(gridLowest(importance, aims, "How important is each of these aims?")).toBe(
      "The aim rated least important was ‘Housing development that meets the needs of a growing population’: 58% said it was important (20% very important), while 19% chose ‘Not very important’ and 23% ‘Not at all important’.",
    );
  });
});

describe("before and after shifts", () => {
  const up = (agreeAfter: number, stay = 20): [string, string, number][] => [
    ["agree", "agree", stay],
    ["disagree", "agree", agreeAfter],
    ["disagree", "disagree", 20 - agreeAfter],
  ];
  const down = (fell: number): [string, string, number][] => [
    ["agree", "agree", 20 - fell],
    ["agree", "disagree", fell],
    ["disagree", "disagree", 20],
  ];

  it("names the greatest and the smallest rise, with their intervals and tests", () => {
    const set = pairedSet({ understand: up(2), "best-job": up(9), community: up(5) });
    const words = shiftSentences(set, "after reading the strategy");
    expect(words.headline).toMatch(
      /^After reading the strategy, agreement rose for every statement\. The greatest shift was for ‘the Council is doing the best job it can with the limited resources available’ \(\+23 points, 95% interval \+\d+ to \+\d+ points\), the smallest for ‘I understand the financial challenges the Council faces’ \(\+5 points, 95% interval −\d+ to \+\d+ points\)\.$/,
    );
    expect(words.paragraphs[0]).toBe(words.headline);
  });

  it("words falls as falls, the greatest being the most negative", () => {
    const set = pairedSet({ understand: down(2), "best-job": down(8), community: down(4) });
    const { headline } = shiftSentences(set, "after reading the strategy");
    expect(headline).toMatch(/^After reading the strategy, agreement fell for every statement\./);
    expect(headline).toMatch(
      /The greatest fall was for ‘the Council is doing the best job .*’ \(−20 points, .*\), the smallest for ‘I understand .*’ \(−5 points, .*\)\.$/,
    );
    expect(headline).not.toMatch(/rose|greatest shift/);
  });

  it("words a mix of rises, falls and no change", () => {
    const set = pairedSet({
      understand: [["agree", "agree", 40]],
      "best-job": up(6),
      community: down(3),
    });
    const { headline } = shiftSentences(set, "after reading the summary");
    // −7, not −8: the shift shown is the difference of the rounded shares shown (50% to 43%), not
    // the unrounded −7.5 points rounded.
    expect(headline).toMatch(
      /^After reading the summary, agreement rose for 1 statement, fell for 1 statement and did not change for 1 statement\. The greatest rise was for ‘the Council .*’ \(\+15 points, .*\); the greatest fall was for ‘the community has a role to play’ \(−7 points, .*\); there was no change for ‘I understand .*’ \(0 points, .*\)\.$/,
    );
  });

  it("says when nothing moved, and never calls a zero shift a rise", () => {
    const set = pairedSet({
      understand: [["agree", "agree", 30]],
      "best-job": [
        ["agree", "agree", 10],
        ["disagree", "disagree", 10],
      ],
    });
    const words = shiftSentences(set, "after reading the strategy");
    expect(words.headline).toBe(
      "After reading the strategy, agreement did not change for any statement, to the nearest point.",
    );
    expect(words.paragraphs).toContain(
      "Ratings along the whole scale did not move by more than chance could explain for any statement (Wilcoxon signed-rank test, p of 0.05 or more).",
    );
    expect(words.paragraphs.join(" ")).not.toMatch(/larger than chance|moved by more/);
  });

  it("says which changes could be chance, and warns about low bases", () => {
    const set = pairedSet({ understand: up(1, 2), "best-job": up(9, 2) });
    const words = shiftSentences(set, "after reading the strategy");
    expect(words.paragraphs.join(" ")).toMatch(
      /Ratings along the whole scale moved by more than chance would explain for 1 of the 2 statements \(Wilcoxon signed-rank test, p [=<] [\d.]+\)\./,
    );
    expect(words.paragraphs.join(" ")).toContain(
      "Fewer than 30 respondents rated each statement both times, so treat these shifts as indicative.",
    );
  });

  it("handles a set of one statement, and one nobody rated twice", () => {
    const one = pairedSet({ "best-job": up(9) });
    expect(shiftSentences(one, "after reading it").headline).toMatch(
      /^After reading it, agreement for ‘the Council is doing .*’ \(\+23 points, .*\) rose\.$/,
    );
    const none = pairedSet({ understand: [["dont-know", "agree", 4]] });
    expect(shiftSentences(none, "after reading it").headline).toBe(
      "Nobody rated these statements both times, so there is no shift to report.",
    );
  });
});

describe("choice questions and quotes", () => {
  it("counts roles largest first and says respondents could tick several", () => {
    const options = [
      { code: "public", label: "Member of the public" },
      { code: "employee", label: "Council employee" },
      { code: "supplier", label: "Supplier to the council" },
    ];
    const r = multipleChoice(options, { public: 14, employee: 16, supplier: 9 }, 36, [], {
      other: { code: "other", label: "Other" },
    });
    expect(choiceSentence(r)).toBe(
      "Of the 36 respondents who answered, 16 ticked ‘Council employee’ (44%), 14 ‘Member of the public’ (39%) and 9 ‘Supplier to the council’ (25%).",
    );
    expect(multipleNote(r, "In what role are you responding?")).toBe(
      "Respondents could tick more than one role, so the numbers add up to more than 36.",
    );
    const single = singleChoice(options, { public: 3, employee: 1 }, 0);
    expect(choiceSentence(single)).toBe(
      "Of the 4 respondents who answered, 3 chose ‘Member of the public’ (75%) and 1 ‘Council employee’ (25%).",
    );
  });

  it("lower-cases a statement quoted mid-sentence, but not a name, an acronym or 'I'", () => {
    expect(quoteInSentence("The Council is doing the best job it can.")).toBe(
      "‘the Council is doing the best job it can’",
    );
    expect(quoteInSentence("I understand the challenges")).toBe("‘I understand the challenges’");
    expect(quoteInSentence("Improving Opportunities")).toBe("‘Improving Opportunities’");
    expect(quoteInSentence("Leicestershire on track to reach net zero")).toBe(
      "‘Leicestershire on track to reach net zero’",
    );
    expect(quoteInSentence("ICT services")).toBe("‘ICT services’");
  });
});

// ---------------------------------------------------------------------------------------------
// The whole report, from a small definition and hand-built results.

const DEFINITION: DefinitionInput = {
  schemaVersion: 1,
  slug: "test-plan",
  title: "Town Centre Plan",
  council: "Example District Council",
  summary: ["We are consulting on a plan for the town centre."],
  audience: "Residents and businesses in the town",
  opens: "2025-01-06T00:00:00Z",
  closes: "2025-03-03T00:00:00Z",
  promotion: ["Posters in the library", "Social media"],
  pairedSets: [{ id: "views", scale: "agreement-5", statements: STATEMENTS }],
  pages: [
    {
      id: "about",
      title: "About you",
      questions: [
        {
          id: "roles",
          kind: "multiple",
          text: "In what role are you responding?",
          options: [
            { code: "resident", label: "Resident" },
            { code: "business", label: "Business" },
          ],
          other: { code: "other", label: "Other" },
        },
      ],
    },
    {
      id: "before",
      title: "Your views before reading the plan",
      questions: [
        {
          id: "views-before",
          kind: "paired",
          set: "views",
          phase: "before",
          text: "Before reading the plan?",
        },
      ],
    },
    {
      id: "after",
      title: "Your views after reading the plan",
      questions: [
        { id: "views-after", kind: "paired", set: "views", phase: "after", text: "After reading the plan?" },
      ],
    },
    {
      id: "overall",
      title: "Overall",
      questions: [
        {
          id: "vision",
          kind: "likert",
          scale: "agreement-5",
          text: "Do you agree or disagree with the vision?",
        },
        { id: "comments", kind: "text", text: "Any comments?", required: false },
      ],
    },
  ],
};

function results(def: ConsultationDefinition): ConsultationResults {
  const set = pairedSet({
    understand: [["agree", "agree", 40]],
    "best-job": [
      ["disagree", "agree", 10],
      ["agree", "agree", 30],
    ],
    community: [
      ["disagree", "agree", 4],
      ["agree", "agree", 36],
    ],
  });
  const page = (id: string) => def.pages.find((p) => p.id === id)?.title ?? "";
  const roles = multipleChoice(
    [
      { code: "resident", label: "Resident" },
      { code: "business", label: "Business" },
    ],
    { resident: 36, business: 6, other: 2 },
    43,
    ["Parish clerk, tel 01632 960961"],
    { other: { code: "other", label: "Other" } },
  );
  return {
    slug: def.slug,
    title: def.title,
    respondents: 43,
    filter: null,
    byDay: [
      { day: "2025-01-06", channel: "online", n: 38 },
      { day: "2025-01-07", channel: "email", n: 3 },
      { day: "2025-01-08", channel: "paper", n: 2 },
    ],
    questions: [
      {
        question: { id: "roles", text: "In what role are you responding?", pageTitle: page("about") },
        kind: "multiple",
        result: roles,
      },
      {
        question: { id: "views-before", text: "Before reading the plan?", pageTitle: page("before") },
        kind: "paired",
        phase: "before",
        set: set.set,
        moments: set.moments,
        scale: agreement,
        statements: STATEMENTS.map((s) => ({
          ...s,
          distribution: dist(agreement, { agree: 30, disagree: 10 }),
        })),
      },
      {
        question: { id: "views-after", text: "After reading the plan?", pageTitle: page("after") },
        kind: "paired",
        phase: "after",
        set: set.set,
        moments: set.moments,
        scale: agreement,
        statements: STATEMENTS.map((s) => ({
          ...s,
          distribution: dist(agreement, { agree: 36, disagree: 4 }),
        })),
      },
      {
        question: {
          id: "vision",
          text: "Do you agree or disagree with the vision?",
          pageTitle: page("overall"),
        },
        kind: "likert",
        scale: agreement,
        distribution: dist(agreement, { "strongly-agree": 17, agree: 17, neither: 5, disagree: 4 }),
      },
      {
        question: { id: "comments", text: "Any comments?", pageTitle: page("overall") },
        kind: "text",
        total: 3,
        latest: [],
      },
    ],
    paired: [set],
  };
}

function build(
  opts: { comments?: CommentInput[]; weDid?: WeDidEntry[]; themes?: Parameters<typeof buildReport>[5] } = {},
): ReportModel {
  const def = definitionSchema.parse(DEFINITION);
  return buildReport(
    def,
    results(def),
    opts.comments ?? [],
    opts.weDid ?? [],
    {
      channels: [
        { channel: "online", n: 38 },
        { channel: "email", n: 3 },
        { channel: "paper", n: 2 },
      ],
      generatedAt: new Date("2025-04-01T09:00:00Z"),
    },
    opts.themes,
  );
}

const sectionIds = (r: ReportModel) => r.sections.map((s) => s.id);
const allText = (r: ReportModel) =>
  r.sections
    .flatMap((s) => [
      ...s.paragraphs,
      ...s.list,
      ...s.parts.flatMap((p) => [...p.paragraphs, ...p.list]),
      ...(s.kind === "comments" ? s.groups.flatMap((g) => g.texts) : []),
    ])
    .join("\n");

describe("buildReport", () => {
  it("has the sections councils publish, in order, with no themes section when there are no themes", () => {
    const report = build();
    expect(report.title).toBe("Town Centre Plan: consultation summary report");
    expect(sectionIds(report)).toEqual([
      "main-findings",
      "background",
      "who-responded",
      "results",
      "comments",
      "we-did",
      "about-these-figures",
    ]);
    expect(report.produced).toBe("Produced on 1 April 2025 from the 43 responses received.");
  });

  it("writes the background from the definition and the channel counts", () => {
    const text = allText(build());
    expect(text).toContain(
      "The consultation ran for 8 weeks, from 6 January 2025 to midnight at the start of 3 March 2025.",
    );
    expect(text).toContain("It was aimed at residents and businesses in the town.");
    expect(text).toContain("43 people responded: 38 online, 3 by email and 2 on paper.");
    expect(text).toContain(
      "Respondents rated the same 3 statements before reading the plan and again after reading the plan, so that any change in their views could be measured.",
    );
    const background = build().sections.find((s) => s.id === "background");
    expect(background?.parts.map((p) => p.id)).toEqual([
      "introduction",
      "promotion",
      "questionnaire",
      "responses",
    ]);
    expect(background?.parts[0]?.paragraphs).toEqual(["We are consulting on a plan for the town centre."]);
    expect(background?.parts[1]?.list).toEqual(["Posters in the library", "Social media"]);
    expect(background?.parts[3]?.blocks).toEqual([{ kind: "timeline" }]);
  });

  it("puts the before/after shift after the 'after' question, with its chart and table", () => {
    const results = build().sections.find((s) => s.id === "results");
    const ids = results?.parts.map((p) => p.id);
    expect(ids).toEqual(["result-views-before", "result-views-after", "shift-views", "result-vision"]);
    const shift = results?.parts.find((p) => p.id === "shift-views");
    expect(shift?.blocks).toEqual([{ kind: "paired", setId: "views" }]);
    expect(shift?.paragraphs[0]).toMatch(
      /^After reading the plan, agreement rose for 2 statements and did not change for 1 statement\. The greatest rise was for ‘the Council is doing/,
    );
  });

  it("redacts personal data in the 'Other' texts and the comments, and counts comments not shown", () => {
    const report = build({
      comments: [
        {
          questionId: "comments",
          questionText: "Any comments?",
          texts: ["Email me at pat@example.com", "  ", "Good plan"],
          total: 250,
        },
      ],
    });
    const comments = report.sections.find((s) => s.kind === "comments");
    if (comments?.kind !== "comments") throw new Error("no comments section");
    expect(comments.groups[0]?.texts).toEqual(["Email me at [email removed]", "Good plan"]);
    expect(comments.groups[0]?.notShown).toBe(248);
    const text = allText(report);
    expect(text).toContain(
      "Those who ticked ‘Other’ described themselves as: ‘Parish clerk, tel [phone number removed]’.",
    );
    expect(text).not.toContain("960961");
    expect(text).toContain(
      "Respondents could tick more than one role, so the numbers add up to more than 43.",
    );
  });

  it("lists 'we asked, you said, we did' in their order", () => {
    const entry = (id: number, position: number): WeDidEntry => ({
      id,
      position,
      weAsked: `Topic ${id}`,
      youSaid: "Said",
      weDid: "Did",
      updatedAt: "2025-04-01T00:00:00Z",
      publishedAt: null,
    });
    const section = build({ weDid: [entry(1, 2), entry(2, 1)] }).sections.find((s) => s.kind === "we-did");
    if (section?.kind !== "we-did") throw new Error("no we-did section");
    expect(section.entries.map((e) => e.id)).toEqual([2, 1]);
    const empty = build().sections.find((s) => s.kind === "we-did");
    expect(empty?.paragraphs).toEqual([
      "The council’s response to the points raised will be published here.",
    ]);
  });

  it("adds a themes section when themes are given, before the comments", () => {
    const report = build({
      themes: [{ label: "Parking", count: 7, quotes: ["Call 07700 900123 about it"] }],
    });
    expect(sectionIds(report).slice(4, 6)).toEqual(["themes", "comments"]);
    const themes = report.sections.find((s) => s.kind === "themes");
    if (themes?.kind !== "themes") throw new Error("no themes section");
    expect(themes.list).toEqual(["Parking: 7 comments"]);
    expect(themes.themes[0]?.quotes).toEqual(["Call [phone number removed] about it"]);
    expect(sectionIds(build({ themes: [] }))).not.toContain("themes");
  });

  it("says how campaigns were counted, and gives each theme's stance when it was worked out", () => {
    const campaigns = "Campaigns (near-identical comments sent by several respondents) are counted once.";
    const report = build({
      themes: [
        { label: "Parking", count: 7, campaigns, stance: { supports: 1, mixed: 2, opposes: 4 } },
        { label: "Buses", count: 3, campaigns },
      ],
    });
    const themes = report.sections.find((s) => s.kind === "themes");
    if (themes?.kind !== "themes") throw new Error("no themes section");
    expect(themes.list).toEqual([
      "Parking: 7 comments; 1 supporting, 2 mixed, 4 opposing",
      "Buses: 3 comments",
    ]);
    // Once, however many themes carry it; and a word on what stance is.
    expect(themes.paragraphs.filter((p) => p === campaigns)).toHaveLength(1);
    expect(
      themes.paragraphs.some((p) => p.includes("estimated from its words, not judged by an officer")),
    ).toBe(true);
    const plain = build({ themes: [{ label: "Parking", count: 7 }] }).sections.find(
      (s) => s.kind === "themes",
    );
    expect(plain?.paragraphs.some((p) => p.includes("stance"))).toBe(false);
  });

  it("states the officers' agreement with each other on a double-coded sample beside the model's", () => {
    const coding = (themeId: number, modelF1: number, f1: number, kappa: number) => ({
      officer: 5,
      rule: 0,
      model: 2,
      modelF1,
      officers: { themeId, f1, kappa, sample: 40 },
    });
    const themesOf = (report: ReturnType<typeof build>) => {
      const section = report.sections.find((s) => s.kind === "themes");
      if (section?.kind !== "themes") throw new Error("no themes section");
      return section.paragraphs;
    };
    const paragraphs = themesOf(
      build({
        themes: [
          { label: "Parking", count: 7, coding: coding(1, 0.61, 0.9, 0.8) },
          { label: "Buses", count: 3, coding: coding(2, 0.72, 0.5, 0.4) },
          { label: "Cycling (Why?)", count: 2, coding: coding(3, 0.55, 0.7, 0.6) },
          // The same theme on a second question: its figure is taken once.
          { label: "Cycling (What else?)", count: 1, coding: coding(3, 0.55, 0.7, 0.6) },
        ],
      }),
    );
    expect(paragraphs.some((p) => p.includes("F1 score between 0.55 and 0.72"))).toBe(true);
    const officers = paragraphs.find((p) => p.includes("a second officer coded"));
    expect(officers).toBe(
      "To see how far officers agree with each other, a second officer coded a random sample of 40 comments blind, without seeing the first coding. Across 3 themes, the two officers agreed with a median F1 score of 0.70 (from 0.50 to 0.90) and a median kappa of 0.60 (agreement beyond chance: 1 is full agreement, 0 no more than chance).",
    );
    // No double-coded sample: no such sentence.
    const without = themesOf(
      build({
        themes: [{ label: "Parking", count: 7, coding: { officer: 5, rule: 0, model: 2, modelF1: 0.6 } }],
      }),
    );
    expect(without.some((p) => p.includes("second officer"))).toBe(false);
    expect(without.some((p) => p.includes("F1 score between 0.60 and 0.60"))).toBe(true);
  });

  it("leads the main findings with the response count and each headline", () => {
    const findings = build().sections[0]?.list ?? [];
    expect(findings[0]).toBe("43 people responded: 38 online, 3 by email and 2 on paper.");
    expect(findings).toContain(
      "79% of respondents agreed with the vision (40% strongly), 12% neither agreed nor disagreed and 9% disagreed.",
    );
    // Every finding has a subject: a paired set's shift names the question it is about.
    const shift = findings.find((f) => /for every statement|for \d+ statements/.test(f));
    expect(shift).toMatch(/^‘[^’]+’: after /);
  });

  it("refuses results for a group of respondents", () => {
    const def = definitionSchema.parse(DEFINITION);
    const filtered = {
      ...results(def),
      filter: { question: "roles", questionText: "", codes: ["business"], labels: [] },
    };
    expect(() => buildReport(def, filtered, [], [], { channels: [], generatedAt: new Date() })).toThrow(
      /all respondents/,
    );
  });
});
