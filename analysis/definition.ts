import { z } from "zod";
import {
  BYTES_PER_TYPED_CHARACTER,
  FORM_LIMITS,
  fieldBytes,
  type PageField,
  worstCase,
} from "./form-limits.js";
import { notReserved, reservedMessage } from "./reserved-names.js";
import { builtInScales, type Scale, scaleSchema } from "./scales.js";

/**
 * The consultation definition format (schemaVersion 1). This zod schema is the only description of
 * the format: the types below are inferred from it, and the seeds, the CLI loader and the importer
 * all validate through it.
 */
export const DEFINITION_SCHEMA_VERSION = 1;

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,59}$/, "Use 1 to 60 lower-case letters, digits or '-', starting with a letter")
  .refine(notReserved, reservedMessage("an id"));
const code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1 to 40 lower-case letters, digits, '-' or '_' for a code")
  .refine(notReserved, reservedMessage("a code"));
const text = z.string().trim().min(1).max(2000);

export const choiceOptionSchema = z.strictObject({ code, label: z.string().trim().min(1).max(300) });
export const statementSchema = z.strictObject({ id, text });

/** Show a page or question only when an earlier choice question was answered with one of these codes. */
export const conditionSchema = z.strictObject({ question: id, anyOf: z.array(code).min(1) });

const questionBase = {
  id,
  text,
  hint: z.string().trim().max(1000).optional(),
  required: z.boolean().default(true),
  showIf: conditionSchema.optional(),
};

export const singleChoiceSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("single"),
  /** Up to 200: more than SELECT_ABOVE are shown as a select (server/routes/respond/questionnaire). */
  options: z.array(choiceOptionSchema).min(2).max(200),
});

export const multipleChoiceSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("multiple"),
  options: z.array(choiceOptionSchema).min(1).max(40),
  /** An option that asks the respondent to say what they mean ("Other, please specify"). */
  other: z.strictObject({ code, label: z.string().trim().min(1).max(300) }).optional(),
});

export const likertSchema = z.strictObject({ ...questionBase, kind: z.literal("likert"), scale: code });

export const likertGridSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("grid"),
  scale: code,
  statements: z.array(statementSchema).min(1).max(30),
});

/** One half of a paired before/after set; the statements live on the set so both halves match. */
export const pairedSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("paired"),
  set: id,
  phase: z.enum(["before", "after"]),
});

export const freeTextSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("text"),
  maxLength: z.number().int().min(1).max(10_000).default(2000),
  rows: z.number().int().min(1).max(20).default(5),
});

export const numberSchema = z.strictObject({
  ...questionBase,
  kind: z.literal("number"),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(true),
  suffix: z.string().max(40).optional(),
});

export const questionSchema = z.discriminatedUnion("kind", [
  singleChoiceSchema,
  multipleChoiceSchema,
  likertSchema,
  likertGridSchema,
  pairedSchema,
  freeTextSchema,
  numberSchema,
]);

export const pageSchema = z.strictObject({
  id,
  title: z.string().trim().min(1).max(200),
  /** Paragraphs shown above the questions: for example a summary of the proposals between before and after. */
  content: z.array(z.string().trim().min(1).max(5000)).default([]),
  showIf: conditionSchema.optional(),
  questions: z.array(questionSchema).max(40),
});

/**
 * The two moments a paired set is asked at, as the report and dashboard say them: "before reading
 * the proposals", "after the workshop". Without them the pages' titles are used when they say
 * ("Your views after reading the summary"), else the pages are named.
 */
export const momentsSchema = z.strictObject({
  before: z.string().trim().min(1).max(120),
  after: z.string().trim().min(1).max(120),
});

export const pairedSetSchema = z.strictObject({
  id,
  scale: code,
  statements: z.array(statementSchema).min(1).max(30),
  moments: momentsSchema.optional(),
});

/**
 * A link respondents follow: an http(s) address or a path on this site. Other schemes
 * ("javascript:", "data:") are refused, and so are spaces and control characters anywhere, which
 * browsers strip (so "java\tscript:" would run as "javascript:").
 */
export function isSafeDocumentUrl(url: string): boolean {
  if (/[\s\p{Cc}]/u.test(url)) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme) return /^https?$/i.test(scheme[1] ?? "") && /^https?:\/\/[^/]/i.test(url);
  // No scheme: a relative address; "//host" borrows the page's scheme, which is http(s).
  return !url.startsWith("\\");
}

export const documentSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  url: z.string().trim().min(1).max(1000).refine(isSafeDocumentUrl, {
    message: "Use an address starting https:// or http://, or a path on this site",
  }),
  summary: z.string().trim().max(1000).optional(),
});

const dateTime = z.iso.datetime({ offset: true });

/**
 * What may be published of what respondents wrote (issue 11). Every quoted comment is redacted and
 * approved by an officer first; these settings say which names redaction keeps, and which answer
 * to a choice question gives consent for a whole response to be published.
 */
export const publicationSchema = z.strictObject({
  /** Keep a councillor's name after "Cllr" or "Councillor": named in their public role. */
  keepCouncillorNames: z.boolean().default(false),
  /** Names that stay wherever they appear: people named in their public role (a lead member). */
  keptNames: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  /**
   * The consent question: a single choice question ("May we publish your response?") and the
   * answers that give consent. Consented responses may be published whole, redacted and approved,
   * on the consultation's published responses page.
   */
  consent: conditionSchema.optional(),
});
export type Publication = z.infer<typeof publicationSchema>;

const baseDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(DEFINITION_SCHEMA_VERSION),
  slug: id,
  title: z.string().trim().min(1).max(300),
  council: z.string().trim().min(1).max(200),
  summary: z.array(z.string().trim().min(1).max(5000)).min(1),
  /**
   * The proposals, in Markdown (headings, lists, emphasis and links), shown on the consultation's
   * page and with its documents. Rendered with marked and cleaned with sanitize-html
   * (server/views-markdown.ts), so nothing in it can run.
   */
  proposals: z.string().trim().max(50_000).optional(),
  audience: z.string().trim().min(1).max(500),
  opens: dateTime,
  closes: dateTime,
  documents: z.array(documentSchema).default([]),
  /** How the consultation was promoted, for the report's method section. */
  promotion: z.array(z.string().trim().min(1).max(500)).default([]),
  /**
   * How long after closing the free text of its responses is kept (months): then the retention job
   * (server/services/retention.ts) deletes it. Two years unless a consultation says otherwise, as the
   * privacy notice promises.
   */
  retentionMonths: z.number().int().min(1).max(120).default(24),
  scales: z.array(scaleSchema).default([]),
  pairedSets: z.array(pairedSetSchema).default([]),
  pages: z.array(pageSchema).min(1).max(40),
  publication: publicationSchema.optional(),
});

export const definitionSchema = baseDefinitionSchema.superRefine((def, ctx) =>
  checkReferences(def, (path, message) => ctx.addIssue({ code: "custom", path, message })),
);

export type ConsultationDefinition = z.infer<typeof definitionSchema>;
export type DefinitionInput = z.input<typeof definitionSchema>;
export type Page = z.infer<typeof pageSchema>;
export type Question = z.infer<typeof questionSchema>;
export type QuestionKind = Question["kind"];
export type Condition = z.infer<typeof conditionSchema>;
export type PairedSet = z.infer<typeof pairedSetSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;

type Issue = (path: (string | number)[], message: string) => void;

/*
 * The cross-reference checks read the definition through a lenient schema that never fails (each
 * field falls back to a harmless value), so that they run, and report, even when the structure has
 * errors too: an author sees every problem of a file in one run. A valid definition reads the same
 * through it as through the strict schema.
 */
const looseText = z.string().catch("");
const looseCondition = z
  .looseObject({ question: looseText, anyOf: z.array(z.string().catch("")).catch([]) })
  .optional()
  .catch(undefined);
const looseOption = z.looseObject({ code: looseText, label: looseText });
const looseStatement = z.looseObject({ id: looseText, text: looseText });
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const looseQuestion = z
  .looseObject({
    id: looseText,
    kind: looseText,
    text: looseText,
    showIf: looseCondition,
    scale: optional(z.string()),
    statements: optional(z.array(looseStatement)),
    options: optional(z.array(looseOption)),
    other: optional(looseOption),
    min: optional(z.number()),
    max: optional(z.number()),
    maxLength: optional(z.number()),
    set: optional(z.string()),
    phase: optional(z.string()),
  })
  .catch({ id: "", kind: "", text: "" });
const loosePage = z
  .looseObject({
    id: looseText,
    title: looseText,
    showIf: looseCondition,
    questions: z.array(looseQuestion).catch([]),
  })
  .catch({ id: "", title: "", questions: [] });
const looseDefinitionSchema = z.looseObject({
  opens: looseText,
  closes: looseText,
  scales: z
    .array(z.looseObject({ id: looseText, options: z.array(z.looseObject({ code: looseText })).catch([]) }))
    .catch([]),
  pairedSets: z
    .array(z.looseObject({ id: looseText, scale: looseText, statements: z.array(looseStatement).catch([]) }))
    .catch([]),
  pages: z.array(loosePage).catch([]),
  publication: optional(z.looseObject({ consent: looseCondition })),
});
type LooseDefinition = z.infer<typeof looseDefinitionSchema>;
type LoosePage = LooseDefinition["pages"][number];
type LooseQuestion = LoosePage["questions"][number];

/** The fields one question puts in its page's form, as the questionnaire names them. */
function formFields(def: LooseDefinition, q: LooseQuestion): PageField[] {
  const statements =
    q.kind === "grid"
      ? (q.statements ?? [])
      : q.kind === "paired"
        ? (def.pairedSets.find((s) => s.id === q.set)?.statements ?? [])
        : [];
  switch (q.kind) {
    case "grid":
    case "paired":
      return statements.map((s) => ({ name: `${q.id}--${s.id}`, repeats: 1, valueBytes: fieldBytes.code }));
    case "multiple": {
      const ticks = (q.options?.length ?? 0) + (q.other ? 1 : 0);
      const fields = [{ name: q.id, repeats: ticks, valueBytes: fieldBytes.code }];
      if (q.other) fields.push({ name: `${q.id}-other`, repeats: 1, valueBytes: fieldBytes.other });
      return fields;
    }
    case "text":
      return [{ name: q.id, repeats: 1, valueBytes: fieldBytes.text(q.maxLength ?? 2000) }];
    case "number":
      return [{ name: q.id, repeats: 1, valueBytes: fieldBytes.number }];
    default:
      return [{ name: q.id, repeats: 1, valueBytes: fieldBytes.code }];
  }
}

/** Question ids the answer pages use for their own fields. */
const FORM_OWN_FIELDS = new Set(["website"]);

function checkPageForm(def: LooseDefinition, page: LoosePage, p: number, issue: Issue): void {
  const fields = page.questions.flatMap((q) => (q.kind === "" ? [] : formFields(def, q)));
  const names = new Map<string, number>();
  page.questions.forEach((q, i) => {
    if (FORM_OWN_FIELDS.has(q.id))
      issue(
        ["pages", p, "questions", i, "id"],
        `"${q.id}" is the name of a field every page has; choose another id`,
      );
    if (q.kind === "") return;
    for (const f of formFields(def, q)) {
      const other = names.get(f.name);
      if (other !== undefined && other !== i)
        issue(
          ["pages", p, "questions", i, "id"],
          `This question's form field "${f.name}" would be the same as one of question ${other + 1} on this page; choose other ids`,
        );
      names.set(f.name, i);
    }
  });
  const worst = worstCase(fields);
  if (worst.fields > FORM_LIMITS.fields)
    issue(
      ["pages", p],
      `This page could send ${worst.fields} form fields, more than the ${FORM_LIMITS.fields} a page may send, so its answers could never be saved: put some questions on another page`,
    );
  if (worst.bytes > FORM_LIMITS.bytes)
    issue(
      ["pages", p],
      `This page's answers could take ${Math.ceil(worst.bytes / 1024)} kB, more than the ${FORM_LIMITS.bytes / 1024} kB a page may send (each character typed can take up to ${BYTES_PER_TYPED_CHARACTER} bytes), so they could never be saved: lower the text questions' maxLength or put some on another page`,
    );
}

function checkReferences(def: LooseDefinition, issue: Issue): void {
  if (Date.parse(def.closes) <= Date.parse(def.opens))
    issue(["closes"], "The closing date must be after the opening date");

  const scaleIds = new Set([...builtInScales.map((s) => s.id), ...def.scales.map((s) => s.id)]);
  const setIds = new Set(def.pairedSets.map((s) => s.id));
  def.pairedSets.forEach((set, i) => {
    if (!scaleIds.has(set.scale)) issue(["pairedSets", i, "scale"], `Unknown scale "${set.scale}"`);
    checkUnique(
      set.statements.map((s) => s.id),
      ["pairedSets", i, "statements"],
      "statement id",
      issue,
    );
  });
  checkUnique(
    def.pages.map((p) => p.id),
    ["pages"],
    "page id",
    issue,
  );

  const earlier = new Map<string, Set<string>>(); // choice question id -> its codes
  const seenQuestions = new Set<string>();
  const setPhases = new Map<string, { before?: number; after?: number }>();

  def.pages.forEach((page, p) => {
    if (page.showIf) checkCondition(page.showIf, ["pages", p, "showIf"], earlier, issue);
    const onThisPage = new Map<string, Set<string>>();
    page.questions.forEach((q, i) => {
      const path = ["pages", p, "questions", i];
      if (seenQuestions.has(q.id)) issue([...path, "id"], `Duplicate question id "${q.id}"`);
      seenQuestions.add(q.id);
      if (q.showIf) checkCondition(q.showIf, [...path, "showIf"], earlier, issue);
      if ((q.kind === "likert" || q.kind === "grid") && q.scale !== undefined && !scaleIds.has(q.scale)) {
        issue([...path, "scale"], `Unknown scale "${q.scale}"`);
      }
      if (q.kind === "grid")
        checkUnique(
          (q.statements ?? []).map((s) => s.id),
          [...path, "statements"],
          "statement id",
          issue,
        );
      if (q.kind === "single" || q.kind === "multiple") {
        const codes = (q.options ?? []).map((o) => o.code);
        if (q.kind === "multiple" && q.other) codes.push(q.other.code);
        checkUnique(codes, [...path, "options"], "option code", issue);
        onThisPage.set(q.id, new Set(codes));
      }
      if (q.kind === "likert") {
        const scale = def.scales.find((x) => x.id === q.scale) ?? builtInScales.find((x) => x.id === q.scale);
        onThisPage.set(q.id, new Set(scale?.options.map((o) => o.code)));
      }
      if (q.kind === "number" && q.min !== undefined && q.max !== undefined && q.min > q.max) {
        issue([...path, "max"], "The maximum must not be below the minimum");
      }
      if (q.kind === "paired" && q.set !== undefined) {
        if (!setIds.has(q.set)) issue([...path, "set"], `Unknown paired statement set "${q.set}"`);
        const phases = setPhases.get(q.set) ?? {};
        if (q.phase === "before" || q.phase === "after") {
          if (phases[q.phase] !== undefined)
            issue([...path, "phase"], `The "${q.phase}" half of "${q.set}" is asked twice`);
          phases[q.phase] = p;
        }
        setPhases.set(q.set, phases);
      }
    });
    checkPageForm(def, page, p, issue);
    // A condition may only look at questions on earlier pages: the answer must exist before the page is shown.
    for (const [qid, codes] of onThisPage) earlier.set(qid, codes);
  });

  const consent = def.publication?.consent;
  if (consent) {
    const question = def.pages.flatMap((p) => p.questions).find((q) => q.id === consent.question);
    if (question && question.kind !== "single")
      issue(["publication", "consent", "question"], `"${consent.question}" must be a single choice question`);
    else checkCondition(consent, ["publication", "consent"], earlier, issue);
  }

  def.pairedSets.forEach((set, i) => {
    const phases = setPhases.get(set.id);
    if (phases?.before === undefined || phases.after === undefined) {
      issue(["pairedSets", i], `The set "${set.id}" needs one "before" and one "after" question`);
    } else if (phases.after <= phases.before) {
      issue(
        ["pairedSets", i],
        `The "after" half of "${set.id}" must be on a later page than the "before" half`,
      );
    }
  });
}

function checkUnique(values: string[], path: (string | number)[], what: string, issue: Issue) {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) issue([...path, i], `Duplicate ${what} "${value}"`);
    seen.add(value);
  });
}

function checkCondition(
  condition: { question: string; anyOf: string[] },
  path: (string | number)[],
  earlier: Map<string, Set<string>>,
  issue: Issue,
) {
  const codes = earlier.get(condition.question);
  if (!codes) {
    issue([...path, "question"], `"${condition.question}" is not a choice question on an earlier page`);
    return;
  }
  condition.anyOf.forEach((c, i) => {
    if (!codes.has(c)) issue([...path, "anyOf", i], `"${c}" is not an option of "${condition.question}"`);
  });
}

/** The publication settings, with their defaults when the definition has none. */
export function publicationOf(def: Pick<ConsultationDefinition, "publication">): Publication {
  return def.publication ?? { keepCouncillorNames: false, keptNames: [] };
}

export function resolveScale(
  def: Pick<ConsultationDefinition, "scales">,
  scaleId: string,
): Scale | undefined {
  return def.scales.find((s) => s.id === scaleId) ?? builtInScales.find((s) => s.id === scaleId);
}

export function pairedSet(def: ConsultationDefinition, setId: string): PairedSet {
  const set = def.pairedSets.find((s) => s.id === setId);
  if (!set) throw new Error(`Unknown paired set ${setId}`);
  return set;
}

/*
 * The definition's answers about itself. Routes, services, exports and the report call these rather
 * than walking pages and sets on their own, so a question's options or statements are worked out in
 * one place. Lookups by id go through Maps (never plain objects), so an id such as "constructor"
 * cannot meet a prototype property.
 */

interface Index {
  questions: Question[];
  byId: Map<string, { question: Question; page: Page }>;
}
const indexes = new WeakMap<ConsultationDefinition, Index>();

function indexOf(def: ConsultationDefinition): Index {
  let index = indexes.get(def);
  if (!index) {
    const byId = new Map<string, { question: Question; page: Page }>();
    for (const page of def.pages)
      for (const question of page.questions) byId.set(question.id, { question, page });
    index = { questions: def.pages.flatMap((p) => p.questions), byId };
    indexes.set(def, index);
  }
  return index;
}

/** Every question, in the order the pages ask them. */
export function allQuestions(def: ConsultationDefinition): Question[] {
  return indexOf(def).questions;
}

export function findQuestion(def: ConsultationDefinition, questionId: string): Question | undefined {
  return indexOf(def).byId.get(questionId)?.question;
}

/** The page that asks a question. */
export function pageOfQuestion(def: ConsultationDefinition, questionId: string): Page | undefined {
  return indexOf(def).byId.get(questionId)?.page;
}

/** The paired set with this id, or undefined. */
export function findPairedSet(def: ConsultationDefinition, setId: string): PairedSet | undefined {
  return def.pairedSets.find((s) => s.id === setId);
}

/** The before and after halves of a paired set, with their pages (either may be missing while loading). */
export function pairedHalves(
  def: ConsultationDefinition,
  setId: string,
): Record<"before" | "after", { question: Question; page: Page } | undefined> {
  const half = (phase: "before" | "after") => {
    for (const page of def.pages)
      for (const question of page.questions)
        if (question.kind === "paired" && question.set === setId && question.phase === phase)
          return { question, page };
    return undefined;
  };
  return { before: half("before"), after: half("after") };
}

/**
 * How the two askings of a paired set are described: its declared moments; else the part of each
 * page title that starts at the word before or after ("after reading the summary"); else "on the page ‘title’".
 */
export function momentsOf(def: ConsultationDefinition, setId: string): { before: string; after: string } {
  const declared = findPairedSet(def, setId)?.moments;
  if (declared) return declared;
  const halves = pairedHalves(def, setId);
  const phrase = (phase: "before" | "after") => {
    const title = halves[phase]?.page.title.trim() ?? "";
    // From the phase word to the end, found with a search and a slice: a pattern such as
    // /\bafter\s+\S.*$/ is tried from every "after" and costs the square of a title full of them.
    const at = title.search(phase === "before" ? /\bbefore\s+\S/i : /\bafter\s+\S/i);
    if (at !== -1) return title.charAt(at).toLowerCase() + title.slice(at + 1);
    return title
      ? `on the page \u2018${title}\u2019`
      : phase === "before"
        ? "the first time"
        : "the second time";
  };
  return { before: phrase("before"), after: phrase("after") };
}

/** The scale a likert or grid question, a paired half or a paired set is rated on. */
export function scaleOf(def: ConsultationDefinition, item: Question | PairedSet): Scale | undefined {
  if (!("kind" in item)) return resolveScale(def, item.scale);
  if (item.kind === "likert" || item.kind === "grid") return resolveScale(def, item.scale);
  if (item.kind === "paired") {
    const set = findPairedSet(def, item.set);
    return set ? resolveScale(def, set.scale) : undefined;
  }
  return undefined;
}

/** The statements of a grid or a paired half (from its set); none for other kinds. */
export function statementsOf(def: ConsultationDefinition, q: Question): Statement[] {
  if (q.kind === "grid") return q.statements;
  if (q.kind === "paired") return findPairedSet(def, q.set)?.statements ?? [];
  return [];
}

/**
 * Every option a closed question offers, in the order the form shows them: a choice question's own
 * (its "other" last), or its scale's for likert, grid and paired questions; none for text and number.
 */
export function optionsOf(def: ConsultationDefinition, q: Question): ChoiceOption[] {
  switch (q.kind) {
    case "single":
      return q.options;
    case "multiple":
      return q.other ? [...q.options, q.other] : q.options;
    case "likert":
    case "grid":
    case "paired":
      return scaleOf(def, q)?.options ?? [];
    default:
      return [];
  }
}

export interface DefinitionError {
  path: string;
  message: string;
}

/** Validate unknown input; errors carry a JSON path such as `$.pages[2].questions[0].scale`. */
export function parseDefinition(
  input: unknown,
): { ok: true; definition: ConsultationDefinition } | { ok: false; errors: DefinitionError[] } {
  const structure = baseDefinitionSchema.safeParse(input);
  const errors: DefinitionError[] = structure.success
    ? []
    : structure.error.issues.map((i) => ({ path: jsonPath(i.path), message: plainMessage(i) }));
  // Cross-references are checked whatever the structure's state, so one run reports everything.
  const loose = looseDefinitionSchema.safeParse(input);
  if (loose.success)
    checkReferences(loose.data, (path, message) => {
      const error = { path: jsonPath(path), message };
      if (!errors.some((e) => e.path === error.path && e.message === error.message)) errors.push(error);
    });
  else errors.push({ path: "$", message: "A definition is a JSON object with the fields the README lists" });
  if (structure.success && errors.length === 0) return { ok: true, definition: structure.data };
  return { ok: false, errors };
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list ([...])",
  object: "an object ({...})",
};

/** A validator's issue in words an author can act on. */
function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "This field is missing";
      const found = Array.isArray(issue.input)
        ? "a list"
        : issue.input === null
          ? "null"
          : typeof issue.input;
      return `This should be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${TYPE_WORDS[found] ?? found}`;
    }
    case "unrecognized_keys":
      return `${issue.keys.length === 1 ? "This field is" : "These fields are"} not part of the format (check the spelling): ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_value":
      return `Use ${issue.values.length === 1 ? "" : "one of "}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      return issue.path[issue.path.length - 1] === "kind" ||
        ("note" in issue && issue.note === "No matching discriminator")
        ? 'Use a "kind" of "single", "multiple", "likert", "grid", "paired", "text" or "number"'
        : "This does not match any of the forms allowed here";
    case "too_small":
    case "too_big": {
      const least = issue.code === "too_small";
      const bound = least ? issue.minimum : issue.maximum;
      const what =
        issue.origin === "string"
          ? `character${Number(bound) === 1 ? "" : "s"}`
          : issue.origin === "array"
            ? `item${Number(bound) === 1 ? "" : "s"}`
            : "";
      if (issue.origin === "string" && least && Number(bound) === 1) return "This must not be empty";
      return `Use ${least ? "at least" : "at most"} ${String(bound)}${what ? ` ${what}` : ""}`;
    }
    case "invalid_format":
      return issue.format === "datetime"
        ? "Use a date and time with its offset, such as 2027-05-01T23:59:00+01:00"
        : issue.message;
    default:
      return issue.message;
  }
}

export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    "$",
  );
}
