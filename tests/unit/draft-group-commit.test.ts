import { describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { buildTestApp } from "../support/app.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";

/**
 * Draft saves made in one turn of the event loop are committed together, just after it
 * (ResponseRepository.saveDraft): a save resolves only once it is stored, a failed commit fails
 * every save of the turn and stores none of them, and a read of a draft with a save waiting sees it.
 */
function openFixture() {
  const t = buildTestApp({ now: new Date("2026-06-01T10:00:00Z") });
  new ConsultationRepository(t.db).save({
    ...fixtureDefinition(),
    opens: "2026-05-01T00:00:00Z",
    closes: "2026-07-01T12:00:00Z",
  });
  const row = t.services.consultations.find(FIXTURE_SLUG);
  if (!row) throw new Error("fixture not stored");
  const draftOf = () => {
    const token = t.services.responses.start(row);
    const draft = t.services.responses.find(row, token);
    if (!draft) throw new Error("no draft");
    return { token, draft };
  };
  const stored = (id: number) =>
    JSON.parse(
      (t.db.prepare("SELECT draft_json FROM responses WHERE id = ?").get(id) as { draft_json: string })
        .draft_json,
    ) as unknown;
  return { t, row, draftOf, stored };
}

describe("draft saves are committed together, after the turn that made them", () => {
  it("stores nothing until the turn ends, then every save of it, and only then resolves", async () => {
    const { t, row, draftOf, stored } = openFixture();
    const a = draftOf();
    const b = draftOf();
    let settled = 0;
    const saves = [
      t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-1" }),
      t.services.responses.savePage(row, b.draft, ["ward"], { ward: "ward-2" }),
    ].map((p) =>
      p.then((answers) => {
        settled++;
        return answers;
      }),
    );
    // Still this turn: nothing is on disk, and no respondent has been told it is.
    expect(stored(a.draft.id)).toEqual({});
    expect(stored(b.draft.id)).toEqual({});
    await Promise.resolve();
    expect(settled).toBe(0);

    expect(await Promise.all(saves)).toEqual([{ ward: "ward-1" }, { ward: "ward-2" }]);
    expect(stored(a.draft.id)).toEqual({ ward: "ward-1" });
    expect(stored(b.draft.id)).toEqual({ ward: "ward-2" });
  });

  it("a failed commit fails every save of the turn and stores none of them", async () => {
    const { t, row, draftOf, stored } = openFixture();
    const a = draftOf();
    const b = draftOf();
    // The second draft's update fails inside the commit, as a full disk or a broken file would.
    t.db.exec(`CREATE TRIGGER refuse_draft BEFORE UPDATE OF draft_json ON responses
      WHEN NEW.id = ${b.draft.id} BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const saves = [
      t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-1" }),
      t.services.responses.savePage(row, b.draft, ["ward"], { ward: "ward-2" }),
    ];
    const outcomes = await Promise.allSettled(saves);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(stored(a.draft.id)).toEqual({});
    expect(stored(b.draft.id)).toEqual({});

    // The next turn starts clean: a later save of the first draft is stored.
    t.db.exec("DROP TRIGGER refuse_draft");
    await t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-3" });
    expect(stored(a.draft.id)).toEqual({ ward: "ward-3" });
  });

  it("a read of a draft whose save is waiting commits it first (a second tab posting another page)", async () => {
    const { t, row, draftOf, stored } = openFixture();
    const a = draftOf();
    const first = t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-1" });
    // In the same turn, another request for the same draft reads it, and saves another page.
    const again = t.services.responses.find(row, a.token);
    expect(again?.answers).toEqual({ ward: "ward-1" });
    expect(stored(a.draft.id)).toEqual({ ward: "ward-1" });
    if (!again) throw new Error("no draft");
    const second = t.services.responses.savePage(row, again, ["visits"], { visits: 4 });
    await Promise.all([first, second]);
    // Neither page's answers were lost to the other.
    expect(stored(a.draft.id)).toEqual({ ward: "ward-1", visits: 4 });
  });

  it("the last of two saves of one draft in a turn is the one stored", async () => {
    const { t, row, draftOf, stored } = openFixture();
    const a = draftOf();
    const saves = [
      t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-1" }),
      t.services.responses.savePage(row, a.draft, ["ward"], { ward: "ward-2" }),
    ];
    await Promise.all(saves);
    expect(stored(a.draft.id)).toEqual({ ward: "ward-2" });
  });
});
