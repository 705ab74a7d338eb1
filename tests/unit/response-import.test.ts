import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/connection.js";
import { DEMO_RESPONSES } from "../../db/seed/responses/index.js";
import { BOM } from "../../server/services/csv.js";
import { decodeCsv } from "../../server/services/response-import.js";
import {
  addResponse,
  columnCount,
  consultation,
  demoDb,
  exportResponses,
  freshCopy,
  importResponses,
  submittedCount,
  summaryOf,
  template,
} from "../support/transfer.js";

const COMMISSIONING = "commissioning-procurement-2015";
const COMMUNITIES = "communities-approach-2022";
const OPEN = "commercial-strategy-2018";

/** A fresh copy of a demo consultation (definition only, no responses). */
const copyOf = (slug: string): Db => freshCopy(consultation(demoDb(), slug).definition);
const csv = (...lines: string[]) => `${lines.join("\r\n")}\r\n`;
const texts = (db: Db) =>
  db
    .prepare("SELECT text_value FROM answers WHERE text_value IS NOT NULL ORDER BY response_id, item_id")
    .pluck()
    .all();

/** The communities consultation's columns, for small hand-written files. */
const HEAD =
  "reference,principles-agreement,principles-comments,objective-agreement,objective-support," +
  "local-assets-strength,strengthen-assets,collaboration-examples,other-comments,respondent-type";

describe("round trip: export, import into a fresh copy, same results", () => {
  for (const slug of Object.keys(DEMO_RESPONSES)) {
    it(`gives identical summaries and an identical export for ${slug}`, async () => {
      const source = demoDb();
      for (const labels of [false, true]) {
        const exported = await exportResponses(source, slug, { labels });
        const copy = copyOf(slug);
        const result = await importResponses(copy, slug, exported);
        expect(result.errors).toEqual([]);
        expect(result.imported).toBe(submittedCount(source, slug));
        expect(summaryOf(copy, slug)).toBe(summaryOf(source, slug));
        expect((await exportResponses(copy, slug, { labels })).equals(exported)).toBe(true);
      }
    });
  }

  it("adds nothing when the same file is imported again (by reference, or by content hash)", async () => {
    const source = demoDb();
    const exported = await exportResponses(source, COMMISSIONING);
    const copy = copyOf(COMMISSIONING);
    expect((await importResponses(copy, COMMISSIONING, exported)).imported).toBe(43);
    const again = await importResponses(copy, COMMISSIONING, exported);
    expect(again).toMatchObject({ imported: 0, skippedDuplicates: 43, errorCount: 0 });
    expect(submittedCount(copy, COMMISSIONING)).toBe(43);
    // Into the database it came from: every reference is already there.
    expect((await importResponses(source, COMMISSIONING, exported)).skippedDuplicates).toBe(43);

    // Without references, each row's content is the key; two identical rows both count.
    const noRefs = csv(
      HEAD,
      ",agree,,agree,,strong,,,,resident",
      ",agree,,agree,,strong,,,,resident",
      ",disagree,Too vague,undecided,,weak,,,,partner",
    );
    const db = copyOf(COMMUNITIES);
    expect((await importResponses(db, COMMUNITIES, noRefs)).imported).toBe(3);
    expect(await importResponses(db, COMMUNITIES, noRefs)).toMatchObject({
      imported: 0,
      skippedDuplicates: 3,
    });
    const refs = db.prepare("SELECT reference FROM responses").pluck().all() as string[];
    expect(refs.every((r) => /^SND-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(r))).toBe(true);
    expect(new Set(refs).size).toBe(3);
  });
});

describe("import: what a file may look like", () => {
  it("matches headings by question text and values by label, ignoring case and spacing", async () => {
    const db = copyOf(COMMISSIONING);
    const def = consultation(db, COMMISSIONING).definition;
    const q = (id: string) => {
      const found = def.pages.flatMap((p) => p.questions).find((x) => x.id === id);
      if (!found) throw new Error(id);
      return found.text;
    };
    const set = def.pairedSets[0];
    const grid = def.pages.flatMap((p) => p.questions).find((x) => x.id === "principles-agreement");
    const principles = grid?.kind === "grid" ? grid.statements : [];
    const header = [
      q("roles"),
      ...(set?.statements.map((s) => `${q("perceptions-before")}: ${s.text}`) ?? []),
      ...(set?.statements.map((s) => `  ${q("perceptions-after").toUpperCase()}:   ${s.text} `) ?? []),
      q("best-way-forward"),
      q("improve-strategy"),
      ...principles.map((s) => `${q("principles-agreement")}: ${s.text}`),
    ];
    const file = Papa.unparse([
      header,
      [
        "member of the public; Council employee",
        "Strongly agree",
        "agree",
        "TEND TO AGREE",
        "neither",
        ...Array(4).fill("Strongly disagree"),
        " tend to disagree ",
        "More detail",
        ...principles.map(() => ""),
      ],
    ]);
    const result = await importResponses(db, COMMISSIONING, file, { channel: "email" });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ imported: 1, incomplete: 1 });
    const stored = db.prepare("SELECT channel FROM responses").pluck().all();
    expect(stored).toEqual(["email"]);
    const summary = summaryOf(db, COMMISSIONING);
    expect(summary).toContain(
      "roles,In what role are you responding to this consultation?,,,,All respondents,public,Member of the public,1,1,1",
    );
    expect(summary).toMatch(/best-way-forward,[^\r]*,disagree,Tend to disagree,1,1,1/);
  });

  it("reads multiple choice from the 0/1 columns or the labels column, and refuses the two disagreeing", async () => {
    const db = copyOf(OPEN);
    const tick = (codes: string) =>
      Object.fromEntries(
        ["resident", "staff", "school", "supplier", "business", "other"].map((c) => [
          `roles__${c}`,
          codes.includes(c) ? "1" : "0",
        ]),
      );
    const ok = template(db, OPEN, [
      {
        ...tick("resident other"),
        roles__other_text: "Parish clerk",
        roles: "Leicestershire resident; Other",
      },
      { roles: "staff;school" },
      { ...tick("staff") },
    ]);
    const result = await importResponses(db, OPEN, ok);
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(3);
    expect(texts(db)).toEqual(["Parish clerk"]);
    const codes = db
      .prepare(
        `SELECT o.code FROM answers a JOIN options o ON o.id = a.option_id JOIN items i ON i.id = a.item_id
         JOIN questions q ON q.id = i.question_id WHERE q.question_key = 'roles' ORDER BY a.response_id, o.position`,
      )
      .pluck()
      .all();
    expect(codes).toEqual(["resident", "other", "staff", "school", "staff"]);

    const bad = template(db, OPEN, [
      { ...tick("resident"), roles: "Supplier to the council" },
      { ...tick(""), roles__other_text: "Parish clerk" },
      { ...tick(""), roles__resident: "yes please" },
      { roles: "Resident; Astronaut" },
    ]);
    const refused = await importResponses(copyOf(OPEN), OPEN, bad);
    expect(refused.errors.map((e) => [e.line, e.column])).toEqual([
      [2, "roles"],
      [3, "roles__other_text"],
      [4, "roles__resident"],
      [5, "roles"],
    ]);
    expect(refused.errors[3]?.reason).toContain('"astronaut" is not an option');
  });

  it("accepts a BOM, LF or CRLF line ends, quoted line breaks and blank rows, counting lines as an editor does", async () => {
    const rows = [
      HEAD,
      ',agree,"Two\nlines",agree,,strong,,,,resident',
      "",
      ",,,,,,,,,",
      ',disagree,"Say ""no""",undecided,,weak,,,,partner',
    ];
    for (const newline of ["\n", "\r\n"]) {
      const db = copyOf(COMMUNITIES);
      const text = `${BOM}${rows.join(newline)}${newline}`;
      const result = await importResponses(db, COMMUNITIES, text);
      expect(result.errors).toEqual([]);
      expect(result.imported).toBe(2);
      expect(texts(db)).toEqual(["Two\nlines", 'Say "no"']);
      // The same file with a bad code on its last row: line 6, after the two-line value and blanks.
      const bad = `${BOM}${[...rows.slice(0, 4), rows[4]?.replace("weak", "feeble")].join(newline)}${newline}`;
      const refused = await importResponses(copyOf(COMMUNITIES), COMMUNITIES, bad);
      expect(refused.errors).toEqual([
        {
          line: 6,
          column: "local-assets-strength",
          reason: expect.stringContaining('"feeble" is not an option'),
        },
      ]);
    }
  });

  it("refuses a file that is not UTF-8, and says how to save it", async () => {
    const db = copyOf(COMMUNITIES);
    const windows1252 = Buffer.concat([
      Buffer.from(`${HEAD}\r\n,agree,Caf`, "latin1"),
      Buffer.from([0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94]), // "é “ok”" in Windows-1252
      Buffer.from(",agree,,strong,,,,resident\r\n", "latin1"),
    ]);
    const result = await importResponses(db, COMMUNITIES, windows1252);
    expect(result.imported).toBe(0);
    expect(result.errors[0]?.reason).toContain('"CSV UTF-8 (Comma delimited)"');
    expect(submittedCount(db, COMMUNITIES)).toBe(0);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, "utf16le")]);
    expect(decodeCsv(utf16)).toEqual({ error: expect.stringContaining("UTF-16") });
    expect(decodeCsv(Buffer.from(`${BOM}a,b`, "utf8"))).toEqual({ text: "a,b" });
  });

  it("stores formula-like text exactly as given and never runs it", async () => {
    const db = copyOf(COMMUNITIES);
    const payloads = [
      '=HYPERLINK("http://evil.example","x")',
      "+1+2",
      "-3+4",
      "@SUM(A1)",
      "=cmd|' /C calc'!A0",
    ];
    const file = Papa.unparse([
      HEAD.split(","),
      ...payloads.map((p) => ["", "agree", p, "agree", p, "strong", p, p, p, "resident"]),
    ]);
    const result = await importResponses(db, COMMUNITIES, file);
    expect(result.errors).toEqual([]);
    expect(texts(db)).toEqual(payloads.flatMap((p) => Array(5).fill(p)));
    // And exported again, every one of them is neutralised.
    const out = (await exportResponses(db, COMMUNITIES)).toString("utf8");
    for (const p of payloads) expect(out).toContain(`'${p.replace(/"/g, '""')}`);
  });
});

describe("import: bad files store nothing and name every line, column and reason", () => {
  it("names unknown columns, and lists the questions a file has no column for", async () => {
    const db = copyOf(COMMUNITIES);
    const extra = csv(`${HEAD},favourite-colour,Notes`, ",agree,,agree,,strong,,,,resident,blue,x");
    const r1 = await importResponses(db, COMMUNITIES, extra);
    expect(r1.errors).toEqual([
      { line: 1, column: "favourite-colour", reason: "This column is not part of this consultation" },
      { line: 1, column: "Notes", reason: "This column is not part of this consultation" },
    ]);
    // A question with no column is unanswered in every row, and the result names it.
    const missing = csv(
      HEAD.replace(",respondent-type", "").replace(",local-assets-strength", ""),
      ",agree,,agree,,,,",
    );
    const r2 = await importResponses(db, COMMUNITIES, missing);
    expect(r2.errors).toEqual([]);
    expect(r2.imported).toBe(1);
    expect(r2.unanswered.map((q) => q.id)).toEqual(["local-assets-strength", "respondent-type"]);
  });

  it("lists every bad value and stores none of the good rows", async () => {
    const db = copyOf(OPEN);
    const resident = { roles__resident: "1", roles__staff: "0", roles__school: "0", roles__supplier: "0" };
    const file = template(db, OPEN, [
      { channel: "paper", submitted_at: "2018-02-01", ...resident, "vision-agreement": "agree" },
      {
        reference: "SND-0000-0001",
        channel: "post",
        submitted_at: "2018-02-31",
        roles__business: "1",
        "organisation-size": "huge",
        "vision-agreement": "maybe",
      },
      { reference: "SND-0000-0001", ...resident, "organisation-size": "small", "vision-agreement": "agree" },
      { reference: "ABC", ...resident },
      {},
      { "vision-agreement": "agree", extra: "surplus" },
    ]);
    const result = await importResponses(db, OPEN, file);
    expect(result.imported).toBe(0);
    expect(result.errors.map((e) => `${e.line} ${e.column}`)).toEqual([
      "3 organisation-size",
      "3 vision-agreement",
      "3 channel",
      "3 submitted_at",
      "4 organisation-size",
      "4 reference",
      "5 reference",
      `7 (column ${columnCount(db, OPEN) + 1})`,
    ]);
    expect(result.errors[5]?.reason).toBe("This reference is also on line 3");
    expect(result.errors[4]?.reason).toContain('only asked when "roles" is answered supplier');
    expect(submittedCount(db, OPEN)).toBe(0);
  });

  it("refuses a reference that belongs to another consultation, and a row with no answers", async () => {
    const db = demoDb();
    const taken = db.prepare("SELECT reference FROM responses LIMIT 1").pluck().get() as string;
    const file = template(db, OPEN, [
      { reference: taken, "vision-agreement": "agree" },
      {},
      { channel: "email" },
    ]);
    const result = await importResponses(db, OPEN, file);
    expect(result.errors).toEqual([
      {
        line: 2,
        column: "reference",
        reason: "This reference belongs to a response to another consultation",
      },
      { line: 4, column: "", reason: "This row has no answers" },
    ]);
  });

  it("does not insist on required questions (paper forms are often partial) but counts them", async () => {
    const db = copyOf(COMMUNITIES);
    const result = await importResponses(db, COMMUNITIES, csv(HEAD, ",,Only a comment,,,,,,,"));
    expect(result).toMatchObject({ imported: 1, incomplete: 1, errors: [] });
  });

  it("handles a 50 MB file: imports it within the time limit, or refuses it whole for one bad row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sounding-import-"));
    try {
      const long = 'A long comment, with commas and "quotes" and a line\nbreak. '.repeat(30).slice(0, 1900);
      const row = (i: number) =>
        Papa.unparse([
          ["", "agree", `${i} ${long}`, "undecided", long, "strong", long, long, long, "resident"],
        ]);
      const rows: string[] = [HEAD];
      let size = HEAD.length;
      for (let i = 0; size < 50 * 1024 * 1024; i++) {
        const line = row(i);
        rows.push(line);
        size += line.length + 2;
      }
      const file = join(dir, "big.csv");
      writeFileSync(file, `${rows.join("\r\n")}\r\n`);
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(50 * 1024 * 1024);

      const db = copyOf(COMMUNITIES);
      let started = performance.now();
      const ok = await importResponses(db, COMMUNITIES, bytes);
      const seconds = (performance.now() - started) / 1000;
      expect(ok.errors).toEqual([]);
      expect(ok.imported).toBe(rows.length - 1);
      expect(seconds).toBeLessThan(60);

      rows[rows.length - 1] = rows[rows.length - 1]?.replace(/resident$/, "martian") ?? "";
      writeFileSync(file, `${rows.join("\r\n")}\r\n`);
      const fresh = copyOf(COMMUNITIES);
      started = performance.now();
      const refused = await importResponses(fresh, COMMUNITIES, readFileSync(file));
      expect((performance.now() - started) / 1000).toBeLessThan(60);
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors[0]).toMatchObject({ column: "respondent-type" });
      // Its comments hold quoted line breaks: the line is the one an editor shows, not the row number.
      const expectedLine = rows.slice(0, -1).join("\r\n").split("\n").length + 1;
      expect(refused.errors[0]?.line).toBe(expectedLine);
      expect(submittedCount(fresh, COMMUNITIES)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("stores nothing when a later row is bad, even after earlier rows were fine", async () => {
    const db = demoDb();
    const before = submittedCount(db, OPEN);
    addResponse(db, OPEN, "SND-AAAA-0100", { "vision-agreement": "agree" });
    const file = template(db, OPEN, [
      { "vision-agreement": "agree" },
      { "vision-agreement": "agree" },
      { "vision-agreement": "sort of" },
    ]);
    const result = await importResponses(db, OPEN, file);
    expect(result.errors).toEqual([{ line: 4, column: "vision-agreement", reason: expect.any(String) }]);
    expect(submittedCount(db, OPEN)).toBe(before + 1);
  });
});
