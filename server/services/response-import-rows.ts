import { checkNumber, checkOtherText, checkText } from "../../analysis/answer-checks.js";
import type { AnswerSet } from "../../analysis/answers.js";
import type { ConsultationDefinition, Question } from "../../analysis/definition.js";
import { type ColumnSpec, optionsOf, responseColumns } from "./response-columns.js";

/** One problem with an imported file: the line as a text editor numbers it, the column heading, why. */
export interface ImportError {
  line: number;
  column: string;
  reason: string;
}

/**
 * A cell the export guarded with an apostrophe ('=SUM, see csv.ts neutralise) is read as what it
 * guarded: one apostrophe goes when apostrophes lead to a formula character.
 */
export const unneutralise = (s: string) =>
  s.charCodeAt(0) === 39 && /^'+[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
/** How headings and option codes or labels are compared: trimmed, case and spacing ignored. */
export const looseKey = (s: string) =>
  unneutralise(s.replace(/^\uFEFF/, "").trim())
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/ ?; ?/g, ";");

/** The columns of the file bound to one question, by index in the file's rows. */
interface QuestionReader {
  question: Question;
  /** option code or label (loose) -> option code */
  values: Map<string, string>;
  /** the codes in the order the form shows them */
  codes: string[];
  /** option code -> label */
  labels: Map<string, string>;
  /** single, likert, text, number: the column; multiple: the labels column */
  col: number;
  /** grid, paired: statement id -> column */
  statements: Map<string, number>;
  /** multiple: option code -> its 0/1 column */
  ticks: Map<string, number>;
  other: number;
  /** The most ";"-separated pieces one option's code or label holds (see splitTicked). */
  widest: number;
}

export interface Binding {
  headings: string[];
  /** The column name (as the export writes it) each heading was matched to, by column index. */
  names: (string | undefined)[];
  /** Cells a row must have: up to the last heading that is not blank. */
  width: number;
  reference: number;
  channel: number;
  submittedAt: number;
  readers: QuestionReader[];
  /** Questions (or grid statements, by column name) the file has no column for: left unanswered. */
  absent: { id: string; text: string }[];
  /** by column index: the heading is blank, so the cells must be blank too */
  unnamed: boolean[];
}

/**
 * Match a heading row to the consultation's columns: by column name (the export's, from question
 * ids) or by question text (with ": statement text" or ": option label" for the parts of a
 * question). Unknown, ambiguous and repeated headings are errors, and so is a missing column for a
 * required question that every respondent is asked (a grid or a set of 0/1 columns must be whole).
 */
export function bindHeadings(
  def: ConsultationDefinition,
  headings: string[],
  line: number,
): { binding: Binding; errors: ImportError[] } {
  const columns = responseColumns(def);
  const byName = new Map<string, ColumnSpec>();
  const byText = new Map<string, ColumnSpec | null>(); // null: two columns have this text
  // Shorter names a person might type, used only where they are unique: a statement's id or text
  // alone for a grid or paired column, and plain words for the date and channel.
  const byAlias = new Map<string, ColumnSpec | null>();
  const alias = (name: string, c: ColumnSpec) => {
    const key = looseKey(name);
    byAlias.set(key, byAlias.has(key) ? null : c);
  };
  for (const c of columns) {
    byName.set(looseKey(c.name), c);
    const key = looseKey(c.textName);
    byText.set(key, byText.has(key) ? null : c);
    if (c.kind === "choice" && c.statement !== null) {
      alias(c.statement, c);
      const text = c.textName.slice(c.question.text.length + 1);
      if (text.trim() !== "") alias(text, c);
    }
    if (c.kind === "submitted_at") for (const a of ["date", "date submitted", "submitted"]) alias(a, c);
  }
  const errors: ImportError[] = [];
  const fail = (column: string, reason: string) => errors.push({ line, column, reason });
  const bound = new Map<ColumnSpec, number>();
  const unnamed: boolean[] = [];
  headings.forEach((heading, index) => {
    const key = looseKey(heading);
    unnamed.push(key === "");
    if (key === "") return;
    const spec = byName.get(key) ?? byText.get(key) ?? byAlias.get(key);
    if (spec === null)
      fail(heading, "This heading matches more than one question: use the column name from an export");
    else if (spec === undefined) fail(heading, "This column is not part of this consultation");
    else if (bound.has(spec))
      fail(heading, `This column appears twice (as "${headings[bound.get(spec) ?? 0]}")`);
    else bound.set(spec, index);
  });

  const at = (name: string) => {
    const spec = columns.find((c) => c.name === name);
    return spec ? (bound.get(spec) ?? -1) : -1;
  };
  const readers: QuestionReader[] = [];
  const absent: { id: string; text: string }[] = [];
  for (const page of def.pages) {
    for (const q of page.questions) {
      const mine = columns.filter((c) => "question" in c && c.question === q);
      const present = mine.filter((c) => bound.has(c));
      const options = optionsOf(def, q);
      const reader: QuestionReader = {
        question: q,
        values: new Map(),
        codes: options.map((o) => o.code),
        labels: new Map(options.map((o) => [o.code, o.label])),
        col: -1,
        statements: new Map(),
        ticks: new Map(),
        other: -1,
        widest: 1,
      };
      // Exact codes and labels first (what an export holds), then their loose forms.
      const add = (key: string, code: string) => {
        if (!reader.values.has(key)) reader.values.set(key, code);
      };
      for (const o of options) add(o.code, o.code);
      for (const o of options) add(o.label, o.code);
      for (const o of options) add(looseKey(o.code), o.code);
      for (const o of options) add(looseKey(o.label), o.code);
      for (const key of reader.values.keys()) reader.widest = Math.max(reader.widest, key.split(";").length);
      for (const c of present) {
        const index = bound.get(c) ?? -1;
        if (c.kind === "choice" && c.statement !== null) reader.statements.set(c.statement, index);
        else if (c.kind === "tick") reader.ticks.set(c.code, index);
        else if (c.kind === "other") reader.other = index;
        else reader.col = index;
      }
      // A multiple choice's 0/1 columns come all together or not at all: a missing one would read
      // as "not ticked". A grid statement without a column is only unanswered.
      const ticks = mine.filter((c) => c.kind === "tick");
      if (ticks.some((c) => bound.has(c)))
        for (const c of ticks.filter((t) => !bound.has(t)))
          fail(c.name, `This column is missing: the file has other columns of "${q.id}" but not this one`);
      const statements = mine.filter((c) => c.kind === "choice" && c.statement !== null);
      if (statements.some((c) => bound.has(c)))
        for (const c of statements) if (!bound.has(c)) absent.push({ id: c.name, text: c.textName });
      // A question with no column at all is unanswered in every row (the report warns of it).
      if (present.length > 0) readers.push(reader);
      else absent.push({ id: q.id, text: q.text });
    }
  }
  const names: (string | undefined)[] = new Array(headings.length);
  for (const [spec, index] of bound) names[index] = spec.name;
  if (readers.length === 0 && errors.length === 0)
    fail("", "No column matches a question of this consultation: is this the right file?");
  return {
    binding: {
      headings,
      names,
      width: unnamed.lastIndexOf(false) + 1,
      reference: at("reference"),
      channel: at("channel"),
      submittedAt: at("submitted_at"),
      readers,
      absent,
      unnamed,
    },
    errors,
  };
}

const TICKED = new Set(["1", "yes", "y", "true", "x"]);
const UNTICKED = new Set(["0", "no", "n", "false", ""]);
/** A cell as the report quotes it: trimmed, and cut short when long. */
const quote = (s: string) => {
  const t = s.trim().replace(/\s+/g, " ");
  return `"${t.length > 60 ? `${t.slice(0, 57)}...` : t}"`;
};

/**
 * Read one data row into an AnswerSet (the shape the online form stores), reporting every cell
 * that cannot be read. Blank cells are unanswered questions.
 */
export function readAnswers(
  binding: Binding,
  cells: string[],
  fail: (col: number, reason: string) => void,
): AnswerSet {
  const answers: AnswerSet = {};
  const cell = (col: number) => (col < 0 ? "" : (cells[col] ?? ""));
  for (const r of binding.readers) {
    const q = r.question;
    const choose = (col: number): string | undefined => {
      const raw = cell(col);
      if (raw === "") return undefined;
      const code = r.values.get(raw) ?? r.values.get(looseKey(raw));
      if (code === undefined && raw.trim() === "") return undefined;
      if (code === undefined)
        fail(col, `${quote(raw)} is not an option here: use one of ${r.codes.join(", ")}`);
      return code;
    };
    switch (q.kind) {
      case "single":
      case "likert": {
        const code = choose(r.col);
        if (code !== undefined) answers[q.id] = code;
        break;
      }
      case "grid":
      case "paired": {
        const chosen: Record<string, string> = {};
        for (const [statement, col] of r.statements) {
          const code = choose(col);
          if (code !== undefined) chosen[statement] = code;
        }
        if (Object.keys(chosen).length > 0) answers[q.id] = chosen;
        break;
      }
      case "text": {
        const checked = checkText(q, cell(r.col));
        if ("error" in checked) fail(r.col, checked.error);
        else if ("value" in checked) answers[q.id] = checked.value;
        break;
      }
      case "number": {
        const checked = checkNumber(q, cell(r.col));
        if ("error" in checked) fail(r.col, checked.error);
        else if ("value" in checked) answers[q.id] = checked.value;
        break;
      }
      case "multiple": {
        const value = readMultiple(r, cell, fail);
        if (value) answers[q.id] = value;
        break;
      }
    }
  }
  return answers;
}

function readMultiple(
  r: QuestionReader,
  cell: (col: number) => string,
  fail: (col: number, reason: string) => void,
): { codes: string[]; other?: string } | undefined {
  const q = r.question;
  if (q.kind !== "multiple") return undefined;
  let fromTicks: string[] | undefined;
  for (const [code, col] of r.ticks) {
    const raw = cell(col);
    const v = raw === "0" || raw === "1" || raw === "" ? raw : raw.trim().toLowerCase();
    if (v !== "") fromTicks ??= [];
    if (TICKED.has(v)) fromTicks?.push(code);
    else if (!UNTICKED.has(v)) fail(col, "Enter 1 if this option is ticked, or 0 or nothing if it is not");
  }
  const order = (codes: string[]) => r.codes.filter((c) => codes.includes(c));
  const labelsCell = r.col >= 0 ? cell(r.col) : "";
  // An export's labels cell repeats its 0/1 columns exactly: no need to take it apart.
  const echoes =
    fromTicks &&
    labelsCell ===
      order(fromTicks)
        .map((c) => r.labels.get(c))
        .join("; ");
  const fromLabels =
    r.col >= 0 && !echoes ? splitTicked(r, labelsCell, (reason) => fail(r.col, reason)) : undefined;
  const codes = order(fromTicks ?? fromLabels ?? []);
  if (fromTicks && fromLabels && order(fromLabels).join() !== codes.join())
    fail(r.col, "The options named here do not match the 0/1 columns: correct one or the other");
  const otherCode = q.other?.code;
  const checked = checkOtherText(
    q,
    r.other >= 0 ? cell(r.other) : "",
    otherCode !== undefined && codes.includes(otherCode),
  );
  if ("error" in checked) fail(r.other, checked.error);
  if (codes.length === 0) return undefined;
  return "value" in checked ? { codes, other: checked.value } : { codes };
}

/**
 * The options named in a labels cell ("Resident; Supplier"). A label may itself hold ";", so
 * neighbouring pieces are joined back when together they name an option, trying the longest run
 * first but never a run longer than the widest label (hardening issue #8: trying every run to the
 * end of the cell made a 13.5 KB cell cost 22 s).
 */
function splitTicked(r: QuestionReader, raw: string, fail: (reason: string) => void): string[] | undefined {
  const pieces = looseKey(raw)
    .split(";")
    .filter((p) => p !== "");
  if (pieces.length === 0) return undefined;
  const codes: string[] = [];
  for (let i = 0; i < pieces.length; ) {
    let j = Math.min(pieces.length, i + r.widest);
    for (; j > i; j--) {
      const code = r.values.get(pieces.slice(i, j).join(";"));
      if (code !== undefined) {
        if (!codes.includes(code)) codes.push(code);
        break;
      }
    }
    if (j === i) {
      fail(
        `${quote(pieces[i] ?? "")} is not an option here: use one of ${r.codes.join(", ")}, separated by ";"`,
      );
      return undefined;
    }
    i = j;
  }
  return codes;
}

/** The first column of the file that holds a question, for naming it in the report. */
export function questionColumn(binding: Binding, questionId: string): number {
  const r = binding.readers.find((x) => x.question.id === questionId);
  if (!r) return -1;
  return Math.min(...[r.col, r.other, ...r.statements.values(), ...r.ticks.values()].filter((c) => c >= 0));
}
