/**
 * Names and addresses in redaction (issue 11), on real comments: the 6,328 NHS Friends and Family
 * Test comments in ../shared/benchmarks/themes/nhs-feedback-train.csv (BENCH_NHS_CSV to point
 * elsewhere), beside today's redaction (e-mails, phones, postcodes, long numbers) on the same rows.
 *
 * - Recall: of the comments the human coders flagged in `Person identifiable info?`, the share in
 *   which something was redacted.
 * - False alarms: of the comments not flagged, the share that redaction changed. A flag-less comment
 *   that does name someone ("Dr Howard explained") counts here too, so this over-states them.
 * - Because the public file's flag column may be empty (it was when this was written: 0 of 6,328),
 *   a second recall is measured on the comments where the trust itself had taken a person's name
 *   out ("[Name Redacted]", "XXX XXX", "****'s needs"), with a name put back in its place from a
 *   fixed list (first names alone, full names and titled surnames, from several origins). That is
 *   a proxy, on a dozen real sentences, and is named as one.
 * - So the team labelled a sample itself (tests/bench/data/redaction-labels.md): 600 comments at
 *   random plus every comment a capitalised-word screen picks out, each read and labelled before any
 *   redaction was run on it. Recall is measured on the comments we labelled as naming a person, and
 *   false alarms on the random 600's comments we labelled as naming no one, each with its Wilson 95%
 *   interval. Those labels are ours, not the trust's coders'.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { applyRedactions, findRedactions } from "../../analysis/redaction.js";
import { wilsonInterval } from "../../analysis/stats/wilson.js";
import { benchmarkDir, loadNhsComments } from "./lib/nhs-comments.js";
import { type LabelledComment, loadLabelledSample } from "./lib/redaction-labels.js";
import { type Benchmark, fixed, int, ms, type Outcome } from "./lib/report.js";

const RECALL_TARGET = 0.8;
const FALSE_ALARM_TARGET = 0.05;

const TEXT = "FFT answer";
const FLAG = "Person identifiable info?";

/** Where the trust took a person out, and the names put back (one per comment, in turn). */
const PLACEHOLDER = /\[(?:nick)?name redacted\]|\bXXX(?: XXX)?\b|\*{3,4}/gi;
const NAMES = [
  "Sarah",
  "Mr Okonkwo",
  "Gemma Hughes",
  "Dr Patel",
  "Wayne",
  "Mrs Kowalski",
  "Priya Sharma",
  "Siobhan",
  "Nurse Davies",
  "Tomasz Nowak",
  "Chloe",
  "Mohammed Iqbal",
];

const flagged = (v: string | undefined) =>
  v !== undefined && !["", "0", "no", "n"].includes(v.trim().toLowerCase());

/** Today's redaction: the rules before issue 11, without addresses and names. */
const today = (text: string) =>
  applyRedactions(
    text,
    findRedactions(text, { names: false }).filter((r) => r.kind !== "address"),
  ).text;
const now = (text: string) => applyRedactions(text, findRedactions(text)).text;

interface Scored {
  recall: number;
  flaggedCount: number;
  proxyRecall: number;
  proxyCount: number;
  falseAlarms: number;
  unflaggedCount: number;
  msPerComment: number;
}

function score(
  redactor: (t: string) => string,
  rows: { text: string; flag: boolean }[],
  proxy: string[],
): Scored {
  const started = performance.now();
  let hit = 0;
  let alarms = 0;
  const flaggedRows = rows.filter((r) => r.flag);
  const unflagged = rows.filter((r) => !r.flag);
  for (const r of flaggedRows) if (redactor(r.text) !== r.text) hit++;
  for (const r of unflagged) if (redactor(r.text) !== r.text) alarms++;
  const proxyHits = proxy.filter((t) => redactor(t) !== t).length;
  return {
    recall: flaggedRows.length === 0 ? Number.NaN : hit / flaggedRows.length,
    flaggedCount: flaggedRows.length,
    proxyRecall: proxy.length === 0 ? Number.NaN : proxyHits / proxy.length,
    proxyCount: proxy.length,
    falseAlarms: unflagged.length === 0 ? Number.NaN : alarms / unflagged.length,
    unflaggedCount: unflagged.length,
    msPerComment: (performance.now() - started) / (rows.length + proxy.length),
  };
}

interface LabelledScore {
  recall: Share;
  falseAlarms: Share;
  /** Comments the screen picked out that name no one: the hardest place for false alarms. */
  screenedFalseAlarms: Share;
  /** Ids of named comments left unchanged, to look at. */
  missed: string[];
}

interface Share {
  hits: number;
  n: number;
}

function scoreLabelled(redactor: (t: string) => string, sample: LabelledComment[]): LabelledScore {
  const changed = (c: LabelledComment) => redactor(c.text) !== c.text;
  const share = (rows: LabelledComment[]) => ({ hits: rows.filter(changed).length, n: rows.length });
  const named = sample.filter((c) => c.identifiesPerson);
  return {
    recall: share(named),
    falseAlarms: share(sample.filter((c) => c.random && !c.identifiesPerson)),
    screenedFalseAlarms: share(sample.filter((c) => c.screened && !c.random && !c.identifiesPerson)),
    missed: named.filter((c) => !changed(c)).map((c) => c.id),
  };
}

/** "0.800 (7/10; 95% CI 0.490-0.943)" */
function withInterval(s: Share, percent = false): string {
  const w = wilsonInterval(s.hits, s.n);
  const f = (x: number) => (percent ? `${fixed(x * 100, 1)}%` : fixed(x, 3));
  if (w.proportion === null) return "n/a";
  return `${f(w.proportion)} (${s.hits}/${s.n}; 95% CI ${f(w.lower)}-${f(w.upper)})`;
}

export const redactionBench: Benchmark = {
  name: "redaction",
  title: "Redaction of names and addresses on 6,328 NHS comments, beside today's redaction",
  async run(log): Promise<Outcome> {
    const file = process.env.BENCH_NHS_CSV ?? join(benchmarkDir(), "nhs-feedback-train.csv");
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, "utf8"), {
      header: true,
      skipEmptyLines: true,
    });
    const withText = parsed.data.filter((r) => (r[TEXT] ?? "").trim() !== "" && r[TEXT] !== "Did not answer");
    const proxy: string[] = [];
    const rows: { text: string; flag: boolean }[] = [];
    for (const r of withText) {
      const text = r[TEXT] ?? "";
      if (PLACEHOLDER.test(text)) {
        const name = NAMES[proxy.length % NAMES.length] ?? "Sarah";
        proxy.push(text.replace(PLACEHOLDER, name));
      } else rows.push({ text, flag: flagged(r[FLAG]) });
      PLACEHOLDER.lastIndex = 0;
    }
    log(`${int(withText.length)} comments with text; ${proxy.length} with a person taken out by the trust`);
    const before = score(today, rows, proxy);
    const after = score(now, rows, proxy);
    const row = (name: string, f: (s: Scored) => string) => [name, f(before), f(after)];
    const sample = loadLabelledSample(loadNhsComments());
    const labelledBefore = scoreLabelled(today, sample);
    const labelledAfter = scoreLabelled(now, sample);
    const labelledRow = (name: string, f: (s: LabelledScore) => string) => [
      name,
      f(labelledBefore),
      f(labelledAfter),
    ];
    log(
      `labelled sample: ${sample.length} comments (${sample.filter((c) => c.random).length} at random), ` +
        `${sample.filter((c) => c.identifiesPerson).length} labelled as naming a person`,
    );
    if (labelledAfter.missed.length > 0)
      log(`named comments left unchanged: ${labelledAfter.missed.join("; ")}`);
    const notes = [
      `The '${FLAG}' column flags ${after.flaggedCount} of the ${int(rows.length)} comments: recall against it ` +
        (after.flaggedCount === 0 ? "cannot be measured from this file." : "is measured."),
      "The proxy recall puts a name back where the trust had removed one; it is a dozen sentences, not the coders' flag.",
      "False alarms include comments that do name a person but are not flagged, so they over-state.",
      "The hand-labelled sample's labels are ours (the Sounding team's), read before any redaction was run on them; " +
        "they are not the trust's coders' flag. Recall there rests on few named comments: read its interval.",
    ];
    const recallPass =
      after.flaggedCount > 0 ? after.recall >= RECALL_TARGET : after.proxyRecall >= RECALL_TARGET;
    return {
      tables: [
        {
          title: "Redaction on the same comments",
          columns: ["", "today (e-mail, phone, postcode, number)", "with names and addresses"],
          rows: [
            row("flagged comments", (s) => int(s.flaggedCount)),
            row("recall on flagged comments", (s) => fixed(s.recall, 3)),
            row("proxy: names put back", (s) => int(s.proxyCount)),
            row("proxy recall", (s) => fixed(s.proxyRecall, 3)),
            row("unflagged comments", (s) => int(s.unflaggedCount)),
            row("unflagged comments changed", (s) => `${fixed(s.falseAlarms * 100, 1)}%`),
            row("time per comment", (s) => ms(s.msPerComment)),
          ],
        },
        {
          title:
            "On our hand-labelled sample (the team's labels, not the trust's coders'; tests/bench/data/redaction-labels.md)",
          columns: ["", "today (e-mail, phone, postcode, number)", "with names and addresses"],
          rows: [
            labelledRow("recall: comments naming a person, changed", (s) => withInterval(s.recall)),
            labelledRow("false alarms: random 600 naming no one, changed", (s) =>
              withInterval(s.falseAlarms, true),
            ),
            labelledRow("screened (capitalised words) naming no one, changed", (s) =>
              withInterval(s.screenedFalseAlarms, true),
            ),
          ],
        },
      ],
      notes,
      targets: [
        {
          name:
            after.flaggedCount > 0
              ? `redaction recall on flagged comments >= ${RECALL_TARGET}`
              : `redaction recall >= ${RECALL_TARGET} (proxy: no comment is flagged in this file)`,
          measured: fixed(after.flaggedCount > 0 ? after.recall : after.proxyRecall, 3),
          pass: recallPass,
        },
        {
          name: `redaction recall on our hand-labelled sample >= ${RECALL_TARGET}`,
          measured: withInterval(labelledAfter.recall),
          pass:
            labelledAfter.recall.n > 0 && labelledAfter.recall.hits / labelledAfter.recall.n >= RECALL_TARGET,
        },
        {
          name: `redaction on our hand-labelled random sample: comments naming no one changed <= ${FALSE_ALARM_TARGET * 100}%`,
          measured: withInterval(labelledAfter.falseAlarms, true),
          pass: labelledAfter.falseAlarms.hits <= FALSE_ALARM_TARGET * labelledAfter.falseAlarms.n,
        },
        {
          name: `redaction: unflagged comments changed <= ${FALSE_ALARM_TARGET * 100}%`,
          measured: `${fixed(after.falseAlarms * 100, 1)}%`,
          pass: after.falseAlarms <= FALSE_ALARM_TARGET,
        },
      ],
    };
  },
};
