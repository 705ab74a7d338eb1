import {
  allQuestions,
  type ConsultationDefinition,
  optionsOf,
  type Question,
  statementsOf,
} from "../../analysis/definition.js";

export { optionsOf };

/**
 * The columns of a raw-responses CSV, derived from the consultation definition alone, so that the
 * same definition always gives the same names (the export writes them, the import reads them):
 *
 *   reference, channel, submitted_at, then per question in page order:
 *   single, likert, text, number  `<qid>`
 *   multiple                      `<qid>__<code>` (0/1, one per option, "other" included),
 *                                 `<qid>__other_text` when it has an "other" option,
 *                                 `<qid>` (the ticked options' labels joined by "; ")
 *   grid                          `<qid>__<statement>`
 *   paired                        `<qid>__<statement>` when the id already says "before" or "after"
 *                                 (perceptions-before__best-job), else `<qid>__before__<statement>`
 *
 * Question ids never hold "_", so "__" ends the question part of a name and no two questions can
 * produce the same column. Each column also has a name made from the question text (and statement
 * text or option label), which the import accepts when a file was typed up without ids.
 */
export type ColumnSpec =
  | { kind: "reference" | "channel" | "submitted_at"; name: string; textName: string }
  | { kind: "choice"; name: string; textName: string; question: Question; statement: string | null }
  | { kind: "tick"; name: string; textName: string; question: Question; code: string }
  | { kind: "ticked"; name: string; textName: string; question: Question }
  | { kind: "other"; name: string; textName: string; question: Question }
  | { kind: "text" | "number"; name: string; textName: string; question: Question };

export interface OptionInfo {
  code: string;
  label: string;
}

export const META_COLUMNS: ColumnSpec[] = [
  { kind: "reference", name: "reference", textName: "Reference" },
  { kind: "channel", name: "channel", textName: "Channel" },
  { kind: "submitted_at", name: "submitted_at", textName: "Submitted at" },
];

/** The columns for one question, in the order the export writes them. */
export function questionColumns(def: ConsultationDefinition, q: Question): ColumnSpec[] {
  switch (q.kind) {
    case "single":
    case "likert":
      return [{ kind: "choice", name: q.id, textName: q.text, question: q, statement: null }];
    case "text":
    case "number":
      return [{ kind: q.kind, name: q.id, textName: q.text, question: q }];
    case "multiple": {
      const cols: ColumnSpec[] = optionsOf(def, q).map((o) => ({
        kind: "tick",
        name: `${q.id}__${o.code}`,
        textName: `${q.text}: ${o.label}`,
        question: q,
        code: o.code,
      }));
      if (q.other)
        cols.push({
          kind: "other",
          name: `${q.id}__other_text`,
          textName: `${q.text}: ${q.other.label} (text)`,
          question: q,
        });
      cols.push({ kind: "ticked", name: q.id, textName: q.text, question: q });
      return cols;
    }
    case "grid":
      return q.statements.map((s) => ({
        kind: "choice",
        name: `${q.id}__${s.id}`,
        textName: `${q.text}: ${s.text}`,
        question: q,
        statement: s.id,
      }));
    case "paired": {
      const says = q.id.split("-").includes(q.phase);
      const prefix = says ? q.id : `${q.id}__${q.phase}`;
      return statementsOf(def, q).map((s) => ({
        kind: "choice",
        name: `${prefix}__${s.id}`,
        textName: `${q.text}: ${s.text}`,
        question: q,
        statement: s.id,
      }));
    }
  }
}

/** All columns of the raw-responses CSV. Throws if an option code would make a name clash. */
export function responseColumns(def: ConsultationDefinition): ColumnSpec[] {
  const cols = [...META_COLUMNS, ...allQuestions(def).flatMap((q) => questionColumns(def, q))];
  const seen = new Set<string>();
  for (const c of cols) {
    // Only a multiple-choice option coded "other_text" beside an "other" option can clash.
    if (seen.has(c.name)) throw new Error(`Two columns would be named "${c.name}": rename that option code`);
    seen.add(c.name);
  }
  return cols;
}
