import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { type ConsultationDefinition, findQuestion } from "../../analysis/definition.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { BOM } from "../../server/services/csv.js";
import { responseColumns } from "../../server/services/response-columns.js";
import { csvCell, writeResponsesCsv } from "../../server/services/response-export.js";
import {
  addResponse,
  Collector,
  consultation,
  demoDb,
  exportResponses,
  freshCopy,
} from "../support/transfer.js";

const COMMISSIONING = "commissioning-procurement-2015";
const OPEN = "commercial-strategy-2018";

const parse = (csv: Buffer) => {
  const text = csv.toString("utf8");
  expect(text.startsWith(BOM)).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { newline: "\r\n", skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header = [], ...rows] = parsed.data;
  return { header, rows, text, get: (row: string[], name: string) => row[header.indexOf(name)] };
};

describe("raw responses export: columns", () => {
  it("names columns from question ids, statements and option codes", () => {
    const db = demoDb();
    const names = responseColumns(consultation(db, COMMISSIONING).definition).map((c) => c.name);
    expect(names.slice(0, 3)).toEqual(["reference", "channel", "submitted_at"]);
    // A multiple-choice question: a 0/1 column per option (other included), the other text, the labels.
    expect(names.slice(3, 12)).toEqual([
      "roles__public",
      "roles__service-user",
      "roles__vcs",
      "roles__business",
      "roles__supplier",
      "roles__employee",
      "roles__other",
      "roles__other_text",
      "roles",
    ]);
    // Before and after halves of a paired set, and a grid.
    expect(names).toContain("perceptions-before__best-job");
    expect(names).toContain("perceptions-after__best-job");
    expect(names).toContain("principles-agreement__evidence");
    expect(names).toContain("best-way-forward");
    expect(names).toContain("improve-strategy");
    expect(new Set(names).size).toBe(names.length);
  });

  it("says before and after in paired columns whose question ids do not", () => {
    const db = demoDb();
    const def = structuredClone(consultation(db, COMMISSIONING).definition) as ConsultationDefinition;
    for (const page of def.pages)
      for (const q of page.questions) {
        if (q.id === "perceptions-before") q.id = "q6";
        if (q.id === "perceptions-after") q.id = "q8";
      }
    const names = responseColumns(def).map((c) => c.name);
    expect(names).toContain("q6__before__best-job");
    expect(names).toContain("q8__after__best-job");
  });
});

describe("raw responses export: content", () => {
  it("writes a BOM, CRLF rows, one row per response in the order they were stored", async () => {
    const db = demoDb();
    const csv = await exportResponses(db, COMMISSIONING);
    const { rows, text, get } = parse(csv);
    expect(rows).toHaveLength(43);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/"[^"]*"/g, "").match(/[^\r]\n/)).toBeNull();
    const refs = db
      .prepare(
        "SELECT reference FROM responses WHERE consultation_id = ? AND status = 'submitted' ORDER BY id",
      )
      .pluck()
      .all(consultation(db, COMMISSIONING).id);
    expect(rows.map((r) => get(r, "reference"))).toEqual(refs);
    for (const r of rows) {
      expect(get(r, "channel")).toMatch(/^(online|paper|email|event)$/);
      // To the second: the milliseconds stored are no use in a spreadsheet.
      expect(get(r, "submitted_at")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("writes option codes, or labels with the labels option; 0/1 and labels for multiple choice", async () => {
    const db = demoDb();
    addResponse(db, OPEN, "SND-AAAA-0001", {
      roles: { codes: ["supplier", "other"], other: "Parish clerk" },
      "supplier-services": { codes: ["ict"] },
      "organisation-size": "small",
      "commercial-views-before": { "sell-services": "agree" },
      "vision-agreement": "strongly-agree",
    });
    addResponse(db, OPEN, "SND-AAAA-0002", { "vision-agreement": "dont-know" });
    const codes = parse(await exportResponses(db, OPEN));
    const [first = [], second = []] = codes.rows;
    expect(codes.get(first, "roles__supplier")).toBe("1");
    expect(codes.get(first, "roles__other")).toBe("1");
    expect(codes.get(first, "roles__resident")).toBe("0");
    expect(codes.get(first, "roles__other_text")).toBe("Parish clerk");
    expect(codes.get(first, "roles")).toMatch(/^[^;]+; Other$/);
    expect(codes.get(first, "organisation-size")).toBe("small");
    expect(codes.get(first, "vision-agreement")).toBe("strongly-agree");
    expect(codes.get(first, "commercial-views-before__sell-services")).toBe("agree");
    // Unanswered questions stay blank, multiple choice included (not 0: nobody was asked).
    expect(codes.get(second, "roles__supplier")).toBe("");
    expect(codes.get(second, "roles")).toBe("");
    expect(codes.get(second, "vision-agreement")).toBe("dont-know");

    // With labels, the columns are headed with the question texts too, not the ids.
    const labels = parse(await exportResponses(db, OPEN, { labels: true }));
    const def = consultation(db, OPEN).definition;
    const text = (id: string) => findQuestion(def, id)?.text ?? id;
    const [l1 = [], l2 = []] = labels.rows;
    expect(labels.header.slice(0, 3)).toEqual(["Reference", "Channel", "Submitted at"]);
    expect(labels.header.some((h) => h.includes("__"))).toBe(false);
    expect(new Set(labels.header).size).toBe(labels.header.length);
    expect(labels.get(l1, text("organisation-size"))).toBe("Small (10 to 49 employees)");
    expect(labels.get(l1, text("vision-agreement"))).toBe("Strongly agree");
    expect(labels.get(l1, `${text("roles")}: Supplier to the council`)).toBe("1");
    expect(labels.get(l2, text("vision-agreement"))).toBe("Don't know");
  });

  it("quotes as RFC 4180 asks and neutralises every text cell a spreadsheet would run", async () => {
    const db = demoDb();
    const payloads = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=2"];
    const texts = ["other-trading-ideas", "comments", "head-office-town"];
    payloads.forEach((p, i) => {
      addResponse(db, OPEN, `SND-AAAA-00${10 + i}`, {
        roles: { codes: ["supplier", "other"], other: p },
        ...Object.fromEntries(texts.map((t) => [t, p])),
      });
    });
    addResponse(db, OPEN, "SND-AAAA-0020", { comments: 'Say "hello", then\r\nleave' });
    const { rows, get, text } = parse(await exportResponses(db, OPEN));
    rows.slice(0, payloads.length).forEach((r, i) => {
      for (const column of [...texts, "roles__other_text"]) expect(get(r, column)).toBe(`'${payloads[i]}`);
    });
    expect(get(rows[payloads.length] ?? [], "comments")).toBe('Say "hello", then\r\nleave');
    expect(text).toContain('"Say ""hello"", then\r\nleave"');
  });

  it("reads the database a page at a time and waits for a slow reader (backpressure)", async () => {
    const db = demoDb();
    const whole = await exportResponses(db, "strategic-plan-2022");
    const row = consultation(db, "strategic-plan-2022");
    const out = new Collector(256, 1);
    let paused = 0;
    out.on("drain", () => paused++);
    const n = await writeResponsesCsv(
      new ResponseTransferRepository(db),
      row,
      new ConsultationRepository(db).catalog(row.id),
      out,
      { pageSize: 7 },
    );
    expect(n).toBe(259);
    expect(out.bytes.equals(whole)).toBe(true);
    expect(out.chunks.length).toBeGreaterThan(259 / 7);
    expect(paused).toBeGreaterThan(0);
  });

  it("writes just the header for a consultation without responses", async () => {
    const db = freshCopy(consultation(demoDb(), COMMISSIONING).definition);
    const { header, rows } = parse(await exportResponses(db, COMMISSIONING));
    expect(rows).toEqual([]);
    expect(header[0]).toBe("reference");
  });
});

describe("raw responses export: CSV cells", () => {
  it("quotes exactly as Papa.unparse does", () => {
    const cells: (string | number)[] = [
      "",
      "plain",
      "strongly-agree",
      0,
      1,
      -2.5,
      1e21,
      "a,b",
      'say "hi"',
      "two\nlines",
      "two\r\nlines",
      "cr\ronly",
      " leading",
      "trailing ",
      "in side",
      "\uFEFFbom",
      "'=SUM(A1)",
      "tab\there",
      "semi;colon",
      "é ü 中文 😀",
    ];
    const rows = [cells, [...cells].reverse()];
    const ours = rows.map((r) => r.map(csvCell).join(",")).join("\r\n");
    expect(ours).toBe(Papa.unparse(rows, { newline: "\r\n", quotes: false, escapeFormulae: false }));
  });
});
