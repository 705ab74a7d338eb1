import { describe, expect, it } from "vitest";
import { type CodebookRow, checkCodebook } from "../../analysis/themes/codebook.js";
import { mostTypical } from "../../analysis/themes/typical.js";
import { parseCodebookCsv } from "../../server/services/themes.js";

const QUESTIONS = new Set(["why", "improve"]);
const row = (line: number, name: string, parent = "", questions: string[] = [], rules = ""): CodebookRow => ({
  line,
  name,
  description: "",
  parent,
  questions,
  rules,
});

describe("codebook checks", () => {
  it("accepts a codebook with one level of parents, in any order", () => {
    const r = checkCodebook(
      [row(2, "Cuts", "Services"), row(3, "Services"), row(4, "Jargon", "", ["why"], "jargon")],
      QUESTIONS,
    );
    expect(r.ok).toBe(true);
  });

  it("names every bad line: duplicates, unknown parents, cycles, two levels, unknown questions, bad rules", () => {
    const r = checkCodebook(
      [
        row(2, "Services"),
        row(3, "services"),
        row(4, "Orphan", "Nobody"),
        row(5, "A", "B"),
        row(6, "B", "A"),
        row(7, "Child", "Middle"),
        row(8, "Middle", "Top"),
        row(9, "Top"),
        row(10, "Elsewhere", "", ["nope"]),
        row(11, "Broken", "", [], '"unclosed'),
        row(12, ""),
        row(13, "Self", "self"),
      ],
      QUESTIONS,
    );
    if (r.ok) throw new Error("should refuse");
    const lines = r.errors.map((e) => `${e.line} ${e.column}: ${e.reason}`);
    expect(lines).toEqual([
      '3 name: "services" is also the name on line 2',
      '4 parent: There is no theme called "Nobody" in the file or the codebook',
      '5 parent: "B" and "A" are each other\'s parent',
      '6 parent: "A" and "B" are each other\'s parent',
      '7 parent: "Middle" has a parent itself: themes go one level deep',
      '10 questions: "nope" is not a question with comments',
      expect.stringMatching(/^11 rules: .*close the quoted phrase/),
      "12 name: Enter a name for the theme",
      "13 parent: A theme cannot be its own parent",
    ]);
  });

  it("knows the codebook's existing themes as parents", () => {
    expect(
      checkCodebook([row(2, "Cuts", "Services")], QUESTIONS, new Map([["Services", { parent: "" }]])).ok,
    ).toBe(true);
    const r = checkCodebook(
      [row(2, "Cuts", "Services")],
      QUESTIONS,
      new Map([["Services", { parent: "Top" }]]),
    );
    expect(r.ok ? [] : r.errors.map((e) => e.reason)).toEqual([
      '"Services" has a parent itself: themes go one level deep',
    ]);
  });
});

describe("codebook CSV", () => {
  it("reads rows with the line each starts on, across quoted line breaks and a byte order mark", () => {
    const csv =
      '\uFEFFname,description,parent,questions,rules\r\nA,"two\nlines",,why,\r\n\r\nB,,A,why;improve,"\'-paid volunteers"\r\n';
    const parsed = parseCodebookCsv(csv);
    if ("errors" in parsed) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.rows.map((r) => [r.line, r.name, r.parent, r.questions, r.rules])).toEqual([
      [2, "A", "", ["why"], ""],
      [5, "B", "A", ["why", "improve"], "-paid volunteers"],
    ]);
  });

  it("refuses an unknown column and an unclosed quote", () => {
    expect(parseCodebookCsv("name,colour\nA,red\n")).toEqual({
      errors: [
        {
          line: 1,
          column: "colour",
          reason: 'Unknown column "colour": use name, description, parent, questions, rules',
        },
      ],
    });
    expect("errors" in parseCodebookCsv('name\n"A\n')).toBe(true);
  });
});

describe("most typical comments", () => {
  it("picks the comments closest to what the theme's comments share", () => {
    const comments = [
      { text: "Volunteers save money" },
      { text: "I like trains" },
      { text: "Volunteers save money for the council" },
      { text: "Using volunteers saves money" },
    ];
    expect(mostTypical(comments, 2).map((c) => c.text)).toEqual([
      "Volunteers save money",
      "Using volunteers saves money",
    ]);
    expect(mostTypical(comments, 10)).toHaveLength(4);
  });
});
