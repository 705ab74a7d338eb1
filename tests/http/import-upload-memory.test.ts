import { afterEach, describe, expect, it, vi } from "vitest";
import { INLINE_BYTES } from "../../server/services/csv-rows-source.js";
import { ResponseImporter } from "../../server/services/response-import.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";

/**
 * Issue 8, responsiveness: a responses file is uploaded into shared memory (shared-storage.ts),
 * which the CSV reader's worker reads in place, instead of multer joining the pieces and the reader
 * copying the whole file again on the request loop. What is imported, refused and said is unchanged.
 */
const CLOSED = "communities-approach-2022";
const BASE = `/officer/consultations/${CLOSED}`;
const HEAD =
  "reference,principles-agreement,principles-comments,objective-agreement,objective-support," +
  "local-assets-strength,strengthen-assets,collaboration-examples,other-comments,respondent-type";

const responses = (t: TestApp) =>
  count(
    t.db,
    "SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ?",
    CLOSED,
  );

async function upload(agent: Agent, csv: string) {
  const page = await agent.get(`${BASE}/import`).expect(200);
  return agent
    .post(`${BASE}/import`)
    .field("_csrf", csrfFrom(page.text))
    .field("channel", "paper")
    .attach("file", Buffer.from(csv), "responses.csv");
}

/** A file larger than the reader handles on the request loop: `rows` rows with a long comment each. */
function largeFile(rows: number, last = ",agree,,agree,,strong,,,,resident"): string {
  const lines = [HEAD];
  for (let i = 1; i < rows; i++)
    lines.push(
      `,agree,Paper form ${i}: ${"the library matters to us all. ".repeat(18)},agree,,strong,,,,resident`,
    );
  lines.push(last);
  return `${lines.join("\r\n")}\r\n`;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a responses file uploaded into shared memory (#8)", () => {
  it("is imported whole, the reader given the upload's own memory", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const importing = vi.spyOn(ResponseImporter.prototype, "importCsv");
    const csv = largeFile(2_500);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(INLINE_BYTES);
    const before = responses(t);
    const res = await upload(agent, csv);
    expect(res.status).toBe(303);
    expect(responses(t)).toBe(before + 2_500);
    const given = importing.mock.calls[0]?.[1];
    expect(given?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(given ?? new Uint8Array()).toString("utf8")).toBe(csv);
    const done = await agent.get(res.headers.location ?? "").expect(200);
    expect(done.text).toContain("2,500 responses imported");
  });

  it("stores none of a large file with one bad line, and names it", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    const res = await upload(agent, largeFile(2_500, ",maybe,,agree,,strong,,,,resident"));
    expect(res.status).toBe(400);
    expect(res.text).toContain("The file has 1 problem and nothing was imported");
    expect(res.text).toMatch(/>2501<\/t[hd]>\s*<td class="govuk-table__cell">principles-agreement<\/td>/);
    expect(responses(t)).toBe(before);
  });
});
