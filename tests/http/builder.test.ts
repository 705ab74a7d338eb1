import request from "supertest";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../analysis/definition.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { postForm } from "../support/builder.js";
import { type Agent, signedInAs } from "../support/officer.js";

const DATES = {
  "opens-day": "1",
  "opens-month": "4",
  "opens-year": "2031",
  "opens-time": "9am",
  "closes-day": "1",
  "closes-month": "5",
  "closes-year": "2031",
  "closes-time": "11:59pm",
};

async function created(t: TestApp, agent: Agent, title = "Library opening hours") {
  const res = await postForm(agent, "/officer/create", "/officer/create", {
    start: "blank",
    title,
    slug: "",
    summary: "We want to hear from you.\n\nIt takes five minutes.",
    audience: "Library users",
    ...DATES,
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return {
    location: res.headers.location as string,
    definition: () => t.services.consultations.find("library-opening-hours")?.definition,
  };
}

describe("creating a consultation", () => {
  it("creates one from nothing with its title, summary, audience and UK dates", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    const home = await agent.get("/officer").expect(200);
    expect(home.text).toContain('href="/officer/create"');
    const { location, definition } = await created(t, agent);
    expect(location).toBe("/officer/consultations/library-opening-hours/build?saved=created");
    const def = definition();
    expect(def?.title).toBe("Library opening hours");
    expect(def?.summary).toEqual(["We want to hear from you.", "It takes five minutes."]);
    expect(def?.opens).toBe("2031-04-01T09:00:00+01:00");
    expect(def?.closes).toBe("2031-05-01T23:59:00+01:00");
    const overview = await agent.get(location).expect(200);
    expect(overview.text).toContain("Consultation created");
    expect(overview.text).toContain("11:59pm on 1 May 2031");
  });

  it("copies an existing consultation under a new title and dates", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    const [source] = t.services.consultations.overview();
    if (!source) throw new Error("no consultation to copy");
    const res = await postForm(agent, "/officer/create", "/officer/create", {
      start: "copy",
      copyFrom: source.slug,
      title: "A copy to change",
      slug: "a-copy",
      summary: "",
      audience: "",
      ...DATES,
    });
    expect(res.status).toBe(303);
    const copy = t.services.consultations.find("a-copy");
    expect(copy?.definition.pages).toEqual(source.definition.pages);
    expect(copy?.definition.summary).toEqual(source.definition.summary);
    expect(copy?.title).toBe("A copy to change");
    expect(copy?.demo).toBe(false);
  });

  it("keeps what was typed and links each error to its field", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    const before = t.services.consultations.overview().length;
    const res = await postForm(agent, "/officer/create", "/officer/create", {
      start: "blank",
      title: "Half typed",
      slug: "",
      summary: "",
      audience: "Everyone",
      ...DATES,
      "closes-month": "13",
      "opens-time": "25 o'clock",
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>Error: Create a consultation/);
    expect(res.text).toContain('href="#summary">Enter a summary');
    expect(res.text).toContain('href="#opens-time">Enter the opening time as a time of day');
    expect(res.text).toContain('href="#closes-day">The closing date must be a real date');
    expect(res.text).toContain('value="Half typed"');
    expect(res.text).toContain('value="Everyone"');
    expect(t.services.consultations.overview().length).toBe(before);
  });

  it("refuses closing before opening with the schema's own check, on the closing date", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    const res = await postForm(agent, "/officer/create", "/officer/create", {
      start: "blank",
      title: "Backwards",
      slug: "",
      summary: "S",
      audience: "A",
      ...DATES,
      "closes-month": "3",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#closes-day">The closing date must be after the opening date');
  });

  it("lets only admins and editors build", async () => {
    for (const role of ["officer", "analyst"] as const) {
      const t = buildTestApp();
      const agent = await signedInAs(t, role);
      const home = await agent.get("/officer").expect(200);
      expect(home.text).not.toContain('href="/officer/create"');
      await agent.get("/officer/create").expect(403);
      const res = await agent
        .post("/officer/create")
        .type("form")
        .send({
          _csrf: csrfFrom(home.text),
          start: "blank",
          title: "X",
          summary: "S",
          audience: "A",
          ...DATES,
        });
      expect(res.status).toBe(403);
      expect(t.services.consultations.find("x")).toBeUndefined();
    }
  });
});

describe("the officer home", () => {
  it("shows each consultation's responses so far and in the last seven days", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const rows = t.services.consultations.overview();
    const withResponses = rows.find((r) => r.responses > 0);
    if (!withResponses) throw new Error("the test database has no responses");
    const html = (await agent.get("/officer").expect(200)).text;
    const row = html.slice(html.indexOf(`/officer/consultations/${withResponses.slug}"`));
    expect(row).toContain(`data-label="Responses">${withResponses.responses.toLocaleString("en-GB")}<`);
    // Seven days on, the responses submitted before now are no longer recent.
    const submitted = (
      t.db
        .prepare(
          "SELECT count(*) AS n FROM responses WHERE status = 'submitted' AND consultation_id = ? AND submitted_at >= ?",
        )
        .get(withResponses.id, new Date(t.clock.now.getTime() - 7 * 86_400_000).toISOString()) as {
        n: number;
      }
    ).n;
    expect(withResponses.lastWeek).toBe(submitted);
  });
});

describe("pages and questions", () => {
  it("adds pages and every kind of question, with conditions, and reorders them", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    const def = () => {
      const d = t.services.consultations.find("library-opening-hours")?.definition;
      if (!d) throw new Error("not stored");
      return d;
    };
    expect((await postForm(agent, base, `${base}/pages`, { title: "About you" })).status).toBe(303);
    expect(def().pages.map((p) => p.id)).toEqual(["your-views", "about-you"]);
    // Move "About you" first, with the button that needs no JavaScript.
    expect((await postForm(agent, base, `${base}/pages/about-you/move`, { direction: "up" })).status).toBe(
      303,
    );
    expect(def().pages.map((p) => p.id)).toEqual(["about-you", "your-views"]);

    const kindPage = await agent.get(`${base}/pages/about-you/questions/new`).expect(200);
    expect(kindPage.text).toContain("What kind of question is it?");
    const newQ = `${base}/pages/about-you/questions/new?kind=multiple`;
    const add = (page: string, fields: Record<string, string | string[]>) =>
      postForm(
        agent,
        `${base}/pages/${page}/questions/new?kind=${fields.kind}`,
        `${base}/pages/${page}/questions`,
        fields,
      );
    const multiple = await postForm(agent, newQ, `${base}/pages/about-you/questions`, {
      kind: "multiple",
      text: "How do you use the library?",
      hint: "Tick all that apply.",
      required: "yes",
      options: "borrow | Borrowing books\nStudy space\nComputers",
      other: "Other",
      id: "uses",
    });
    expect(multiple.status, multiple.text.slice(0, 3000)).toBe(303);
    expect(def().pages[0]?.questions[0]).toEqual({
      id: "uses",
      kind: "multiple",
      text: "How do you use the library?",
      hint: "Tick all that apply.",
      required: true,
      options: [
        { code: "borrow", label: "Borrowing books" },
        { code: "study-space", label: "Study space" },
        { code: "computers", label: "Computers" },
      ],
      other: { code: "other", label: "Other" },
    });
    expect(
      (
        await add("your-views", {
          kind: "likert",
          text: "How satisfied are you?",
          required: "yes",
          scale: "satisfaction-5",
          id: "",
          showIf: ["uses:borrow", "uses:computers"],
        })
      ).status,
    ).toBe(303);
    const likert = def().pages[1]?.questions[0];
    expect(likert).toMatchObject({
      id: "how-satisfied-are-you",
      kind: "likert",
      scale: "satisfaction-5",
      showIf: { question: "uses", anyOf: ["borrow", "computers"] },
    });
    // The library scale travels with the definition, so its JSON stands alone.
    expect(def().scales.map((s) => s.id)).toEqual(["satisfaction-5"]);
    expect(
      (
        await add("your-views", {
          kind: "grid",
          text: "Rate each",
          required: "no",
          scale: "agreement-5",
          statements: "hours | The opening hours\nThe staff",
          id: "rate",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await add("your-views", {
          kind: "text",
          text: "Anything else?",
          required: "no",
          maxLength: "500",
          rows: "4",
          id: "comments",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await add("your-views", {
          kind: "number",
          text: "Visits a month",
          required: "yes",
          min: "0",
          max: "100",
          integer: "yes",
          suffix: "visits",
          id: "visits",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await add("about-you", {
          kind: "single",
          text: "Your age",
          required: "yes",
          options: "Under 18\n18 to 64\n65 or over",
          id: "age",
        })
      ).status,
    ).toBe(303);
    const views = def().pages[1]?.questions ?? [];
    expect(views.map((q) => q.kind)).toEqual(["likert", "grid", "text", "number"]);
    expect(views[1]).toMatchObject({
      required: false,
      statements: [
        { id: "hours", text: "The opening hours" },
        { id: "the-staff", text: "The staff" },
      ],
    });
    expect(views[2]).toMatchObject({ maxLength: 500, rows: 4 });
    expect(views[3]).toMatchObject({ min: 0, max: 100, integer: true, suffix: "visits" });
    expect(def().pages[0]?.questions.map((q) => q.id)).toEqual(["uses", "age"]);

    // Paired before and after, across the two pages.
    expect(
      (
        await postForm(agent, `${base}/paired/new`, `${base}/paired`, {
          statements: "I know the opening hours\nThe library meets my needs",
          scale: "agreement-5",
          before: "before reading the proposals",
          after: "after reading the proposals",
          beforePage: "about-you",
          afterPage: "your-views",
          beforeText: "Before reading, how far do you agree?",
          afterText: "Now, how far do you agree?",
          required: "yes",
          set: "views",
        })
      ).status,
    ).toBe(303);
    expect(def().pairedSets).toEqual([
      {
        id: "views",
        scale: "agreement-5",
        statements: [
          { id: "i-know-the-opening-hours", text: "I know the opening hours" },
          { id: "the-library-meets-my-needs", text: "The library meets my needs" },
        ],
        moments: { before: "before reading the proposals", after: "after reading the proposals" },
      },
    ]);

    // A question moved down past the last one on its page goes to the top of the next page.
    expect(def().pages[0]?.questions.map((q) => q.id)).toEqual(["uses", "age", "views-before"]);
    for (let i = 0; i < 2; i++)
      expect((await postForm(agent, base, `${base}/questions/age/move`, { direction: "down" })).status).toBe(
        303,
      );
    expect(def().pages[1]?.questions[0]?.id).toBe("age");
    // The page a condition looks at cannot move after the question that depends on it: refused, with why.
    const refused = await postForm(agent, base, `${base}/pages/your-views/move`, { direction: "up" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("The page was not moved");
    expect(refused.text).toContain("is not a choice question on an earlier page");
    expect(def().pages.map((p) => p.id)).toEqual(["about-you", "your-views"]);

    const overview = await agent.get(base).expect(200);
    for (const words of [
      "How do you use the library?",
      "Shown when",
      "Move up",
      "Move down",
      "Before and after statements",
    ])
      expect(overview.text).toContain(words);
  });

  it("shows the schema's errors on the question's own fields and keeps what was typed", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    const res = await postForm(
      agent,
      `${base}/pages/your-views/questions/new?kind=single`,
      `${base}/pages/your-views/questions`,
      {
        kind: "single",
        text: "Pick one",
        required: "yes",
        options: "Only one option",
        id: "Not An Id",
      },
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#options">Use at least 2 items');
    expect(res.text).toContain('href="#id">Use 1 to 60 lower-case letters');
    expect(res.text).toContain("Only one option</textarea>");
    expect(res.text).toContain('value="Not An Id"');
    expect(t.services.consultations.find("library-opening-hours")?.definition.pages[0]?.questions).toEqual(
      [],
    );
  });
});

describe("preview", () => {
  it("walks every page and the check-answers page as a respondent would, storing nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    const add = (page: string, fields: Record<string, string | string[]>) =>
      postForm(
        agent,
        `${base}/pages/${page}/questions/new?kind=${fields.kind}`,
        `${base}/pages/${page}/questions`,
        fields,
      );
    await postForm(agent, base, `${base}/pages`, { title: "Borrowing" });
    expect(
      (
        await add("your-views", {
          kind: "single",
          text: "Do you borrow books?",
          required: "yes",
          options: "yes | Yes\nno | No",
          id: "borrows",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await add("borrowing", {
          kind: "text",
          text: "What do you borrow?",
          required: "yes",
          maxLength: "200",
          rows: "3",
          id: "what",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await postForm(agent, `${base}/pages/borrowing`, `${base}/pages/borrowing`, {
          title: "Borrowing",
          content: "",
          showIf: "borrows:yes",
        })
      ).status,
    ).toBe(303);
    const rows = () => count(t.db, "SELECT count(*) AS n FROM responses");
    const before = rows();

    const preview = "/officer/consultations/library-opening-hours/preview";
    const start = await agent.get(preview).expect(200);
    expect(start.text).toContain("This is a preview. Nothing you enter is stored or sent.");
    expect(start.text).toContain(`action="${preview}/start"`);
    const first = await agent
      .post(`${preview}/start`)
      .type("form")
      .send({ _csrf: csrfFrom(start.text) });
    expect(first.headers.location).toBe(`${preview}/respond/your-views`);
    const page1 = await agent.get(`${preview}/respond/your-views`).expect(200);
    expect(page1.text).toContain("Do you borrow books?");
    // The respondent's own checks: nothing chosen is an error on the page.
    const empty = await agent
      .post(`${preview}/respond/your-views`)
      .type("form")
      .send({ _csrf: csrfFrom(page1.text) });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("govuk-error-summary");
    const answered = await agent
      .post(`${preview}/respond/your-views`)
      .type("form")
      .send({ _csrf: csrfFrom(page1.text), borrows: "yes" });
    expect(answered.headers.location).toBe(`${preview}/respond/borrowing`);
    const page2 = await agent.get(`${preview}/respond/borrowing`).expect(200);
    const done = await agent
      .post(`${preview}/respond/borrowing`)
      .type("form")
      .send({ _csrf: csrfFrom(page2.text), what: "Crime novels" });
    expect(done.headers.location).toBe(`${preview}/check`);
    const check = await agent.get(`${preview}/check`).expect(200);
    expect(check.text).toContain("Check your answers before sending your response");
    expect(check.text).toContain("Crime novels");
    expect(check.text).toContain(`href="${preview}/respond/borrowing?change=1#what"`);
    const end = await agent
      .post(`${preview}/submit`)
      .type("form")
      .send({ _csrf: csrfFrom(check.text) });
    expect(end.status).toBe(200);
    expect(end.text).toContain("Nothing from this preview was stored or sent");
    expect(rows()).toBe(before);
    // Answering "no" hides the conditional page, as it would for a respondent.
    const again = await agent.get(preview);
    await agent
      .post(`${preview}/start`)
      .type("form")
      .send({ _csrf: csrfFrom(again.text) });
    const no = await agent
      .post(`${preview}/respond/your-views`)
      .type("form")
      .send({ _csrf: csrfFrom(again.text), borrows: "no" });
    expect(no.headers.location).toBe(`${preview}/check`);
    expect(rows()).toBe(before);
  });
});

describe("export and import as JSON", () => {
  it("exports the definition as definition load reads it, and imports it back whole or not at all", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    const exported = await agent.get(`${base}/definition.json`).expect(200);
    expect(exported.headers["content-type"]).toMatch(/^application\/json/);
    expect(exported.headers["content-disposition"]).toBe('attachment; filename="library-opening-hours.json"');
    const json = JSON.parse(exported.text);
    expect(parseDefinition(json)).toMatchObject({ ok: true });
    expect(json).toEqual(t.services.consultations.find("library-opening-hours")?.definition);

    const upload = async (body: string) => {
      const form = await agent.get(`${base}/import`).expect(200);
      return agent
        .post(`${base}/import`)
        .field("_csrf", csrfFrom(form.text))
        .attach("file", Buffer.from(body), { filename: "definition.json", contentType: "application/json" });
    };
    // Another slug in the file does not move the consultation: its web address stays.
    const changed = { ...json, slug: "somewhere-else", title: "Library hours, revised" };
    const ok = await upload(JSON.stringify(changed));
    expect(ok.status).toBe(303);
    expect(t.services.consultations.find("library-opening-hours")?.title).toBe("Library hours, revised");
    expect(t.services.consultations.find("somewhere-else")).toBeUndefined();

    const broken = {
      ...json,
      title: "",
      pages: [{ id: "p", title: "P", questions: [{ id: "q", kind: "likert", text: "Q", scale: "nope" }] }],
    };
    const bad = await upload(JSON.stringify(broken));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#file"');
    expect(bad.text).toContain("Page 1, question 1: Unknown scale");
    expect(bad.text).toContain("This consultation: This must not be empty");
    expect(t.services.consultations.find("library-opening-hours")?.title).toBe("Library hours, revised");
    const notJson = await upload("{ not json");
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain("The file must be a consultation definition in JSON");
  });
});

describe("the audit trail", () => {
  it("records each builder save with who made it", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const rows = t.db
      .prepare(
        "SELECT officer_email AS who, action FROM audit_events WHERE consultation_slug = 'library-opening-hours'",
      )
      .all();
    expect(rows).toEqual([{ who: "editor@example.gov.uk", action: "definition-saved" }]);
  });
});

describe("documents", () => {
  it("uploads a PDF, serves it as a PDF that is never sniffed, and refuses anything else", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    const upload = async (fields: Record<string, string>, file?: { body: Buffer; name: string }) => {
      const form = await agent.get(`${base}/documents`).expect(200);
      let req = agent.post(`${base}/documents`).field("_csrf", csrfFrom(form.text));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      if (file) req = req.attach("file", file.body, { filename: file.name, contentType: "application/pdf" });
      return req;
    };
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    const ok = await upload(
      { title: "The full proposals", summary: "All 40 pages" },
      { body: pdf, name: "Proposals – final.pdf" },
    );
    expect(ok.status, ok.text.slice(0, 1500)).toBe(303);
    const doc = t.services.consultations.find("library-opening-hours")?.definition.documents[0];
    expect(doc).toMatchObject({ title: "The full proposals", summary: "All 40 pages" });
    const served = await request(t.app)
      .get(doc?.url ?? "")
      .expect(200);
    expect(served.headers["content-type"]).toBe("application/pdf");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    expect(served.headers["content-disposition"]).toBe(
      `inline; filename="Proposals _ final.pdf"; filename*=UTF-8''${encodeURIComponent("Proposals – final.pdf")}`,
    );
    expect(Buffer.from(served.body).equals(pdf)).toBe(true);

    const html = await upload(
      { title: "Not a PDF" },
      { body: Buffer.from("<script>alert(1)</script>"), name: "x.pdf" },
    );
    expect(html.status).toBe(400);
    expect(html.text).toContain('href="#file">The file must be a PDF');
    expect(html.text).toContain('value="Not a PDF"');
    const link = await upload({ title: "Elsewhere", url: "javascript:alert(1)" });
    expect(link.status).toBe(400);
    expect(link.text).toContain('href="#url">Use an address starting https://');
    expect(t.services.consultations.find("library-opening-hours")?.definition.documents).toHaveLength(1);
    expect(count(t.db, "SELECT count(*) AS n FROM consultation_files")).toBe(1);
    const removed = await postForm(agent, `${base}/documents`, `${base}/documents/0/delete`, {});
    expect(removed.status).toBe(303);
    expect(t.services.consultations.find("library-opening-hours")?.definition.documents).toEqual([]);
  });
});

describe("reordering by drag and drop", () => {
  it("saves a whole new order, and refuses one that leaves out or invents a question", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    for (const id of ["first", "second"])
      await postForm(
        agent,
        `${base}/pages/your-views/questions/new?kind=text`,
        `${base}/pages/your-views/questions`,
        {
          kind: "text",
          text: `The ${id} question`,
          required: "no",
          maxLength: "100",
          rows: "2",
          id,
        },
      );
    const ids = () =>
      t.services.consultations.find("library-opening-hours")?.definition.pages[0]?.questions.map((q) => q.id);
    expect(ids()).toEqual(["first", "second"]);
    const order = (layout: unknown) =>
      postForm(agent, base, `${base}/order`, { layout: JSON.stringify(layout) });
    expect((await order([{ page: "your-views", questions: ["second", "first"] }])).status).toBe(303);
    expect(ids()).toEqual(["second", "first"]);
    expect((await order([{ page: "your-views", questions: ["second"] }])).status).toBe(400);
    expect((await order([{ page: "your-views", questions: ["second", "first", "third"] }])).status).toBe(400);
    expect(ids()).toEqual(["second", "first"]);
  });
});

describe("publishing responses", () => {
  it("sets the consent question from a single choice question's answers", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await created(t, agent);
    const base = "/officer/consultations/library-opening-hours/build";
    await postForm(
      agent,
      `${base}/pages/your-views/questions/new?kind=single`,
      `${base}/pages/your-views/questions`,
      {
        kind: "single",
        text: "May we publish your response?",
        required: "yes",
        options: "yes | Yes\nno | No",
        id: "publish",
      },
    );
    const res = await postForm(agent, `${base}/publication`, `${base}/publication`, {
      showIf: "publish:yes",
      keepCouncillorNames: "yes",
      keptNames: "Jo Bloggs",
    });
    expect(res.status).toBe(303);
    expect(t.services.consultations.find("library-opening-hours")?.definition.publication).toEqual({
      consent: { question: "publish", anyOf: ["yes"] },
      keepCouncillorNames: true,
      keptNames: ["Jo Bloggs"],
    });
  });
});

describe("times to the second", () => {
  it("keeps a stored time's seconds when the officer leaves the time alone, and takes a changed one", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    const { definition } = await created(t, agent);
    const before = definition();
    if (!before) throw new Error("not created");
    // As the seeds have it: closing at 23:59:59.
    t.services.consultations.store({
      ...before,
      opens: "2031-04-01T08:00:30Z",
      closes: "2031-05-01T22:59:59Z",
    });
    const details = "/officer/consultations/library-opening-hours/build/details";
    const fields = {
      title: "Library opening hours",
      summary: "We want to hear from you.",
      proposals: "",
      audience: "Library users",
      promotion: "",
      ...DATES,
    };
    const page = await agent.get(details).expect(200);
    expect(page.text).toContain('value="11:59pm"');
    const renamed = await postForm(agent, details, details, { ...fields, title: "Library hours" });
    expect(renamed.status, renamed.text.slice(0, 1000)).toBe(303);
    expect(definition()?.title).toBe("Library hours");
    expect(definition()?.opens).toBe("2031-04-01T08:00:30Z");
    expect(definition()?.closes).toBe("2031-05-01T22:59:59Z");
    // A time the officer changed is saved as typed, to the minute.
    const moved = await postForm(agent, details, details, { ...fields, "closes-time": "11:58pm" });
    expect(moved.status).toBe(303);
    expect(definition()?.closes).toBe("2031-05-01T23:58:00+01:00");
    expect(definition()?.opens).toBe("2031-04-01T08:00:30Z");
  });
});
