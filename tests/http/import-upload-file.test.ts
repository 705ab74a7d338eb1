import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INLINE_BYTES } from "../../server/services/csv-rows-source.js";
import { ResponseImporter } from "../../server/services/response-import.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";

/**
 * Issue 8, responsiveness: a responses file is uploaded to a temporary file (temp-upload.ts), which
 * the CSV reader's worker reads, instead of being joined in memory and copied again on the request
 * loop. What is imported, refused and said is unchanged, and the temporary file is deleted in
 * every outcome.
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

async function upload(agent: Agent, csv: string | Buffer, token?: string) {
  const page = await agent.get(`${BASE}/import`).expect(200);
  return agent
    .post(`${BASE}/import`)
    .field("_csrf", token ?? csrfFrom(page.text))
    .field("channel", "paper")
    .attach("file", Buffer.isBuffer(csv) ? csv : Buffer.from(csv), "responses.csv");
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

// os.tmpdir() follows TMPDIR: each test gets a temporary folder of its own to watch.
let temp = "";
const previousTmp = process.env.TMPDIR;
const uploads = () => {
  const dir = join(temp, "sounding-uploads");
  return existsSync(dir) ? readdirSync(dir) : [];
};
/** The response is sent before the file is deleted: wait a moment for the deletion. */
const settled = () => new Promise((r) => setTimeout(r, 200));

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "sounding-upload-test-"));
  process.env.TMPDIR = temp;
});

afterEach(() => {
  vi.restoreAllMocks();
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  rmSync(temp, { recursive: true, force: true });
});

describe("a responses file uploaded to a temporary file (#8)", () => {
  it("is imported whole from the file, which is deleted afterwards", async () => {
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
    expect(given).toEqual({
      path: expect.stringContaining(join(temp, "sounding-uploads")),
      size: Buffer.byteLength(csv),
      remove: expect.any(Function),
    });
    await settled();
    expect(uploads()).toEqual([]);
    const done = await agent.get(res.headers.location ?? "").expect(200);
    expect(done.text).toContain("2,500 responses imported");
  });

  it("stores none of a file with one bad line, names it, and deletes the file", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    const res = await upload(agent, largeFile(2_500, ",maybe,,agree,,strong,,,,resident"));
    expect(res.status).toBe(400);
    expect(res.text).toContain("The file has 1 problem and nothing was imported");
    expect(res.text).toMatch(/>2501<\/t[hd]>\s*<td class="govuk-table__cell">principles-agreement<\/td>/);
    expect(responses(t)).toBe(before);
    await settled();
    expect(uploads()).toEqual([]);
  });

  it("deletes the file of a small import, of a refused form token and of a form without a channel", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    expect((await upload(agent, `${HEAD}\r\n,agree,,agree,,strong,,,,resident\r\n`)).status).toBe(303);
    expect((await upload(agent, largeFile(10), "not-the-token")).status).toBe(403);
    const page = await agent.get(`${BASE}/import`).expect(200);
    const noChannel = await agent
      .post(`${BASE}/import`)
      .field("_csrf", csrfFrom(page.text))
      .attach("file", Buffer.from(largeFile(10)), "responses.csv");
    expect(noChannel.status).toBe(400);
    expect(noChannel.text).toContain("Select how the responses came in");
    expect(responses(t)).toBe(before + 1);
    await settled();
    expect(uploads()).toEqual([]);
  });

  it("refuses a file over 60 MB and deletes what was written of it", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await upload(agent, Buffer.alloc(61 * 1024 * 1024, "a"));
    expect(res.status).toBe(413);
    expect(res.text).toContain("The file must be smaller than 60 MB");
    await settled();
    expect(uploads()).toEqual([]);
  });
});
