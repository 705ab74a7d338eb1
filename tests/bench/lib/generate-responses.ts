/**
 * A large consultation for the results benchmarks: a definition of 20 questions (roles, single
 * choices, Likert items, two grids, a paired before/after set, a number, multiple choices and three
 * free-text questions) saved through ConsultationRepository.save, then BENCH_RESPONDENTS (500,000 by
 * default) submitted responses bulk-inserted with multi-row prepared statements in large
 * transactions.
 *
 * The database is built once into .bench/ (git-ignored), under a name keyed by GENERATOR_VERSION and
 * the number of respondents, and reused on later runs. Bump GENERATOR_VERSION whenever what it
 * generates changes. Migrations added after a file was built are applied to it when it is opened.
 *
 * `node dist/tests/bench/lib/generate-responses.js [--force]` builds (or rebuilds) it on its own.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type DefinitionInput, definitionSchema, resolveScale } from "../../../analysis/definition.js";
import { type Db, migrate, openDatabase } from "../../../db/connection.js";
import { ConsultationRepository } from "../../../db/consultations.js";
import { mulberry32 } from "../../../db/seed/responses/shared.js";
import { projectRoot } from "../../../server/config.js";

export const GENERATOR_VERSION = 1;
export const BENCH_SLUG = "bench-local-plan";
const SEED = 0x50d1ada;
const DEFAULT_RESPONDENTS = 500_000;

/** Respondents to generate: BENCH_RESPONDENTS, or 500,000. */
export function benchRespondents(): number {
  const raw = process.env.BENCH_RESPONDENTS;
  const n = raw ? Number(raw) : DEFAULT_RESPONDENTS;
  if (!Number.isInteger(n) || n < 1_000)
    throw new Error(`BENCH_RESPONDENTS=${raw} is not a whole number >= 1000`);
  return n;
}

const option = (code: string, label: string) => ({ code, label });

/** The benchmark consultation: 20 questions over 8 pages. */
export const benchDefinition: DefinitionInput = {
  schemaVersion: 1,
  slug: BENCH_SLUG,
  title: "Local Plan and Council Priorities 2025 (benchmark)",
  council: "Benchmark Borough Council",
  summary: ["A generated consultation of 20 questions used to measure the results queries at scale."],
  audience: "Residents, staff, schools, suppliers and businesses",
  opens: "2025-01-06T00:00:00Z",
  closes: "2025-03-31T00:00:00Z",
  scales: [
    {
      id: "satisfaction-5",
      name: "Satisfaction (5 points)",
      options: [
        { code: "very-satisfied", label: "Very satisfied", score: 5, group: "positive" },
        { code: "fairly-satisfied", label: "Fairly satisfied", score: 4, group: "positive" },
        { code: "neither", label: "Neither satisfied nor dissatisfied", score: 3, group: "neutral" },
        { code: "fairly-dissatisfied", label: "Fairly dissatisfied", score: 2, group: "negative" },
        { code: "very-dissatisfied", label: "Very dissatisfied", score: 1, group: "negative" },
      ],
    },
  ],
  pairedSets: [
    {
      id: "plan-views",
      scale: "agreement-5",
      statements: [
        { id: "understand-pressures", text: "I understand the financial pressures the council faces" },
        { id: "build-homes", text: "The borough should build more homes on brownfield land" },
        { id: "protect-green", text: "Green belt land should be protected whatever the cost" },
        { id: "raise-tax", text: "I would pay more council tax to protect front-line services" },
      ],
    },
  ],
  pages: [
    {
      id: "about-you",
      title: "About you",
      questions: [
        {
          id: "roles",
          kind: "multiple",
          text: "In what role are you responding?",
          options: [
            option("resident", "Resident of the borough"),
            option("staff", "Council employee"),
            option("school", "School or academy"),
            option("supplier", "Supplier to the council"),
            option("business", "Local business"),
          ],
          other: option("other", "Other"),
        },
        {
          id: "age-group",
          kind: "single",
          text: "What is your age?",
          options: [
            option("under-25", "Under 25"),
            option("25-34", "25 to 34"),
            option("35-44", "35 to 44"),
            option("45-54", "45 to 54"),
            option("55-64", "55 to 64"),
            option("65-plus", "65 or over"),
            option("prefer-not", "Prefer not to say"),
          ],
        },
        {
          id: "district",
          kind: "single",
          text: "Which part of the borough do you live or work in?",
          options: [
            option("north", "North"),
            option("north-east", "North east"),
            option("east", "East"),
            option("south-east", "South east"),
            option("south", "South"),
            option("south-west", "South west"),
            option("west", "West"),
            option("centre", "Town centre"),
          ],
        },
      ],
    },
    {
      id: "supplier-details",
      title: "About your organisation",
      showIf: { question: "roles", anyOf: ["supplier"] },
      questions: [
        {
          id: "organisation-size",
          kind: "single",
          text: "How many people does your organisation employ?",
          options: [
            option("micro", "Fewer than 10"),
            option("small", "10 to 49"),
            option("medium", "50 to 249"),
            option("large", "250 or more"),
          ],
        },
      ],
    },
    {
      id: "before-reading",
      title: "Your views before reading the plan",
      questions: [
        {
          id: "plan-views-before",
          kind: "paired",
          text: "How far do you agree or disagree?",
          set: "plan-views",
          phase: "before",
        },
      ],
    },
    {
      id: "vision",
      title: "The vision",
      questions: [
        {
          id: "vision-agreement",
          kind: "likert",
          text: "Do you agree with the vision?",
          scale: "agreement-5",
        },
        {
          id: "fairness",
          kind: "likert",
          text: "The plan treats every part of the borough fairly",
          scale: "agreement-5",
        },
        {
          id: "themes-agreement",
          kind: "grid",
          text: "How far do you agree with each theme?",
          scale: "agreement-5",
          statements: [
            { id: "homes", text: "Enough good homes for local people" },
            { id: "jobs", text: "More and better local jobs" },
            { id: "transport", text: "Reliable buses and safe cycle routes" },
            { id: "green-spaces", text: "Parks and green spaces for everyone" },
            { id: "town-centres", text: "Busy, attractive town centres" },
            { id: "climate", text: "A borough ready for a changing climate" },
            { id: "health", text: "Healthier lives for all ages" },
            { id: "communities", text: "Strong, safe communities" },
          ],
        },
        {
          id: "vision-comments",
          kind: "text",
          required: false,
          text: "Is there anything you would change about the vision?",
        },
      ],
    },
    {
      id: "priorities",
      title: "Priorities and services",
      questions: [
        {
          id: "priorities-importance",
          kind: "grid",
          text: "How important is each to you?",
          scale: "importance-4",
          statements: [
            { id: "roads", text: "Repairing roads and pavements" },
            { id: "social-care", text: "Care for older and disabled people" },
            { id: "libraries", text: "Keeping libraries open" },
            { id: "bins", text: "Weekly bin collections" },
            { id: "youth", text: "Activities for young people" },
          ],
        },
        { id: "council-trust", kind: "likert", text: "I trust the council to deliver", scale: "agreement-5" },
        {
          id: "satisfaction",
          kind: "likert",
          text: "How satisfied are you with the council overall?",
          scale: "satisfaction-5",
        },
        {
          id: "services-used",
          kind: "multiple",
          required: false,
          text: "Which services have you used in the last year?",
          options: [
            option("libraries", "Libraries"),
            option("leisure", "Leisure centres"),
            option("parking", "Car parks"),
            option("recycling", "Recycling centres"),
            option("planning", "Planning"),
            option("benefits", "Benefits and council tax support"),
            option("social-care", "Adult social care"),
            option("schools", "School admissions"),
          ],
        },
        {
          id: "contact-preference",
          kind: "single",
          text: "How would you prefer to contact the council?",
          options: [
            option("online", "Online"),
            option("phone", "By phone"),
            option("in-person", "In person"),
            option("letter", "By letter"),
          ],
        },
      ],
    },
    {
      id: "after-reading",
      title: "Your views after reading the plan",
      questions: [
        {
          id: "plan-views-after",
          kind: "paired",
          text: "Now that you have read the plan, how far do you agree or disagree?",
          set: "plan-views",
          phase: "after",
        },
      ],
    },
    {
      id: "overall",
      title: "Overall",
      questions: [
        {
          id: "support-overall",
          kind: "single",
          text: "Overall, do you support the plan?",
          options: [option("yes", "Yes"), option("no", "No"), option("unsure", "Not sure")],
        },
        {
          id: "household-size",
          kind: "number",
          required: false,
          text: "How many people live in your household?",
          min: 1,
          max: 20,
        },
        {
          id: "heard-about",
          kind: "multiple",
          text: "How did you hear about this consultation?",
          options: [
            option("website", "Council website"),
            option("social-media", "Social media"),
            option("newspaper", "Local newspaper"),
            option("email", "Email from the council"),
            option("word-of-mouth", "Friends or family"),
            option("poster", "Poster or leaflet"),
          ],
        },
      ],
    },
    {
      id: "final-comments",
      title: "Anything else",
      questions: [
        { id: "other-ideas", kind: "text", required: false, text: "Do you have any other ideas?" },
        { id: "comments", kind: "text", required: false, text: "Any other comments?" },
      ],
    },
  ],
};

/** The demo seed's PRNG: same sequence, so cached benchmark databases stay valid. */
const prng = mulberry32;

const OPENERS = [
  "I think",
  "In my view",
  "Honestly,",
  "As a resident I feel",
  "We feel that",
  "It seems to me",
  "Personally I believe",
  "Frankly,",
  "My family thinks",
  "Most of my neighbours say",
];
const SUBJECTS = [
  "the council",
  "the plan",
  "the bus service",
  "the library",
  "bin collection",
  "the state of the roads",
  "the town centre",
  "parking",
  "the park",
  "new housing",
  "street lighting",
  "youth provision",
  "adult social care",
  "recycling",
  "cycling",
  "the high street",
];
const VERBS = [
  "should focus on",
  "needs to do more for",
  "must protect",
  "could do more for",
  "is letting down",
  "has neglected",
  "ought to invest in",
  "should not cut back on",
  "would really help",
  "must listen to",
];
const OBJECTS = [
  "older residents",
  "families with children",
  "local businesses",
  "people in the villages",
  "disabled people",
  "the environment",
  "value for money",
  "public safety",
  "young people",
  "front-line services",
  "small charities",
  "commuters",
];
const CLOSERS = [
  "",
  " before anything else",
  " as soon as possible",
  " over the next few years",
  " without raising council tax",
  " in every part of the borough",
  ", please",
  " and be open about the costs",
];

/** Short comments made of a few sentences drawn from the word lists above. */
function sentence(rand: () => number): string {
  const w = (list: readonly string[]) => list[Math.floor(rand() * list.length)] ?? "";
  const parts: string[] = [];
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++)
    parts.push(`${w(OPENERS)} ${w(SUBJECTS)} ${w(VERBS)} ${w(OBJECTS)}${w(CLOSERS)}.`);
  return parts.join(" ");
}

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Cumulative weights, for drawing an index with one random number. */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let run = 0;
  weights.forEach((w, i) => {
    run += w / total;
    out[i] = run;
  });
  out[weights.length - 1] = 1;
  return out;
}

function draw(cum: Float64Array, r: number): number {
  for (let i = 0; i < cum.length; i++) if (r < (cum[i] ?? 1)) return i;
  return cum.length - 1;
}

/** Five attitude bands (most favourable first) shift every agreement-type answer. */
const BANDS = 5;
/** For a scale of k options (scored ones first, then excluded), weights per attitude band. */
function bandTables(scored: number, excluded: number, lean: number): Float64Array[] {
  const tables: Float64Array[] = [];
  for (let band = 0; band < BANDS; band++) {
    // Centre of the answers for this band, from favourable (0) to unfavourable (scored-1).
    const centre = ((band + lean) / (BANDS - 1)) * (scored - 1);
    const weights: number[] = [];
    for (let k = 0; k < scored; k++) weights.push(Math.exp(-((k - centre) ** 2) / 1.6) + 0.03);
    for (let k = 0; k < excluded; k++) weights.push(0.04);
    tables.push(cumulative(weights));
  }
  return tables;
}

interface QuestionIds {
  item: number;
  options: number[];
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Benchmark catalog: no ${what}`);
  return value;
}

export interface BenchDatabase {
  path: string;
  slug: string;
  respondents: number;
  /** True when this run built it (false: reused from the cache). */
  built: boolean;
  buildSeconds: number | null;
  answerRows: number;
  bytes: number;
}

/** The cached database file for this generator version and size. */
export function benchDatabasePath(respondents = benchRespondents()): string {
  return join(projectRoot(), ".bench", `results-v${GENERATOR_VERSION}-${respondents}.sqlite`);
}

/** The benchmark database, built now if no cached copy exists. */
export function benchDatabase(log: (line: string) => void, force = false): BenchDatabase {
  const respondents = benchRespondents();
  const path = benchDatabasePath(respondents);
  let built = false;
  let buildSeconds: number | null = null;
  if (force || !existsSync(path)) {
    mkdirSync(join(projectRoot(), ".bench"), { recursive: true });
    const tmp = `${path}.building-${process.pid}`;
    rmSync(tmp, { force: true });
    log(`Generating ${respondents.toLocaleString("en-GB")} responses into ${tmp} ...`);
    const started = performance.now();
    let rows: number;
    try {
      rows = generate(tmp, respondents, log);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    buildSeconds = (performance.now() - started) / 1000;
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    renameSync(tmp, path);
    built = true;
    log(
      `Generated ${respondents.toLocaleString("en-GB")} responses, ${rows.toLocaleString("en-GB")} answer rows ` +
        `in ${buildSeconds.toFixed(1)} s (${(statSync(path).size / 2 ** 20).toFixed(0)} MiB)`,
    );
  }
  const db = openDatabase(path);
  try {
    const applied = migrate(db, join(projectRoot(), "db", "migrations"));
    if (applied.to !== applied.from) log(`Applied migrations ${applied.from + 1}..${applied.to} to ${path}`);
    const answerRows = (db.prepare("SELECT count(*) AS n FROM answers").get() as { n: number }).n;
    db.pragma("wal_checkpoint(TRUNCATE)");
    return {
      path,
      slug: BENCH_SLUG,
      respondents,
      built,
      buildSeconds,
      answerRows,
      bytes: statSync(path).size,
    };
  } finally {
    db.close();
  }
}

/** Build the database at `path`; returns the number of answer rows written. */
function generate(path: string, respondents: number, log: (line: string) => void): number {
  const db = openDatabase(path);
  try {
    migrate(db, join(projectRoot(), "db", "migrations"));
    // A throwaway file being built: no journal, no syncs, a big cache. The finished file is switched
    // back to WAL, as the app uses it.
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -1048576");
    db.pragma("temp_store = MEMORY");
    // Every id written below comes from the catalog or is a response inserted in the same
    // transaction; answers are batched ahead of their responses, so the checks are off while loading.
    db.pragma("foreign_keys = OFF");
    const repo = new ConsultationRepository(db);
    const definition = definitionSchema.parse(benchDefinition);
    const { id: consultationId } = repo.save(definition, new Date("2025-01-01T00:00:00Z"));
    const rows = insertResponses(db, repo, consultationId, respondents, log);
    db.pragma("journal_mode = WAL");
    return rows;
  } finally {
    db.close();
  }
}

const ANSWER_BATCH = 100; // rows per multi-row INSERT (5 parameters each)
const RESPONSE_BATCH = 200; // rows per multi-row INSERT (6 parameters each)
const PER_TRANSACTION = 25_000; // responses per transaction

function insertResponses(
  db: Db,
  repo: ConsultationRepository,
  consultationId: number,
  respondents: number,
  log: (line: string) => void,
): number {
  const catalog = repo.catalog(consultationId);
  const q = (key: string) => must(catalog.questions.get(key), `question ${key}`);
  /** A question with one item: its item id and its option ids in definition order. */
  const single = (key: string, codes: readonly string[]): QuestionIds => {
    const cq = q(key);
    return {
      item: must(cq.items.get(""), `item of ${key}`),
      options: codes.map((c) => must(cq.options.get(c), `option ${key}:${c}`)),
    };
  };
  const statements = (key: string, ids: readonly string[]) => {
    const cq = q(key);
    return ids.map((s) => must(cq.items.get(s), `statement ${key}:${s}`));
  };
  const def = definitionSchema.parse(benchDefinition);
  const allQuestions = def.pages.flatMap((p) => p.questions);
  const codesOf = (key: string): string[] => {
    const question = allQuestions.find((x) => x.id === key);
    if (question?.kind === "single") return question.options.map((o) => o.code);
    if (question?.kind === "multiple")
      return [...question.options.map((o) => o.code), ...(question.other ? [question.other.code] : [])];
    return [];
  };
  /** The option ids of a Likert-type question's scale, in the scale's order (scored ones first). */
  const scaleCodes = (key: string, scale: string) => {
    const codes = must(resolveScale(def, scale), `scale ${scale}`).options.map((o) => o.code);
    const cq = q(key);
    return codes.map((c) => must(cq.options.get(c), `option ${key}:${c}`));
  };

  const roles = single("roles", codesOf("roles"));
  const age = single("age-group", codesOf("age-group"));
  const district = single("district", codesOf("district"));
  const orgSize = single("organisation-size", codesOf("organisation-size"));
  const pairedIds = ["understand-pressures", "build-homes", "protect-green", "raise-tax"];
  const before = statements("plan-views-before", pairedIds);
  const after = statements("plan-views-after", pairedIds);
  const agreeOpts = scaleCodes("vision-agreement", "agreement-5");
  const vision = must(q("vision-agreement").items.get(""), "vision item");
  const fairness = must(q("fairness").items.get(""), "fairness item");
  const themes = statements("themes-agreement", [
    "homes",
    "jobs",
    "transport",
    "green-spaces",
    "town-centres",
    "climate",
    "health",
    "communities",
  ]);
  const visionComments = must(q("vision-comments").items.get(""), "vision-comments item");
  const importanceOpts = scaleCodes("priorities-importance", "importance-4");
  const priorities = statements("priorities-importance", [
    "roads",
    "social-care",
    "libraries",
    "bins",
    "youth",
  ]);
  const trust = must(q("council-trust").items.get(""), "council-trust item");
  const satisfactionOpts = scaleCodes("satisfaction", "satisfaction-5");
  const satisfaction = must(q("satisfaction").items.get(""), "satisfaction item");
  const services = single("services-used", codesOf("services-used"));
  const contact = single("contact-preference", codesOf("contact-preference"));
  const support = single("support-overall", codesOf("support-overall"));
  const household = must(q("household-size").items.get(""), "household-size item");
  const heard = single("heard-about", codesOf("heard-about"));
  const otherIdeas = must(q("other-ideas").items.get(""), "other-ideas item");
  const comments = must(q("comments").items.get(""), "comments item");

  // Answer distributions: agreement-type answers follow the respondent's attitude band.
  const agreeTables = [0, 0.4, -0.3, 0.8, -0.5, 0.2, 0.1, -0.2, 0.5, 0.3, -0.1, 0.6].map((lean) =>
    bandTables(5, 1, lean),
  );
  const importanceTables = [0, -0.4, 0.3, -0.2, 0.6].map((lean) => bandTables(4, 1, lean));
  const satisfactionTables = bandTables(5, 0, 0.3);
  const bandCum = cumulative([0.18, 0.27, 0.25, 0.18, 0.12]);
  const ageCum = cumulative([0.07, 0.14, 0.17, 0.19, 0.19, 0.2, 0.04]);
  const districtCum = cumulative([0.14, 0.1, 0.13, 0.12, 0.15, 0.11, 0.12, 0.13]);
  const sizeCum = cumulative([0.45, 0.3, 0.15, 0.1]);
  const contactCum = cumulative([0.55, 0.3, 0.1, 0.05]);
  const roleChance = [0.78, 0.18, 0.05, 0.08, 0.1, 0.02];
  const serviceChance = [0.35, 0.3, 0.4, 0.45, 0.1, 0.12, 0.06, 0.08];
  const heardChance = [0.35, 0.4, 0.15, 0.3, 0.2, 0.08];
  const channelCum = cumulative([0.9, 0.06, 0.03, 0.01]);
  const channels = ["online", "paper", "email", "event"] as const;

  const rand = prng(SEED);
  const opens = Date.parse(def.opens);
  const span = Date.parse(def.closes) - opens - 24 * 3600 * 1000;
  const taken = new Set<string>();
  const reference = () => {
    for (;;) {
      let chars = "";
      for (let i = 0; i < 8; i++) chars += ALPHABET[Math.floor(rand() * 32)];
      const ref = `SND-${chars.slice(0, 4)}-${chars.slice(4)}`;
      if (!taken.has(ref)) {
        taken.add(ref);
        return ref;
      }
    }
  };

  const firstId =
    ((db.prepare("SELECT max(id) AS m FROM responses").get() as { m: number | null }).m ?? 0) + 1;
  const answerSql = (n: number) =>
    `INSERT INTO answers (response_id, item_id, option_id, number_value, text_value) VALUES ${Array.from(
      { length: n },
      () => "(?,?,?,?,?)",
    ).join(",")}`;
  const responseSql = (n: number) =>
    `INSERT INTO responses (id, consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
     VALUES ${Array.from({ length: n }, () => `(?,${consultationId},'submitted',?,?,?,?,?)`).join(",")}`;
  const answerBatch = db.prepare(answerSql(ANSWER_BATCH));
  const answerOne = db.prepare(answerSql(1));
  const responseBatch = db.prepare(responseSql(RESPONSE_BATCH));
  const responseOne = db.prepare(responseSql(1));

  let answerParams: (number | string | null)[] = [];
  let responseParams: (number | string)[] = [];
  let answerRows = 0;
  const flushAnswers = (all: boolean) => {
    while (answerParams.length >= ANSWER_BATCH * 5) {
      answerBatch.run(answerParams.slice(0, ANSWER_BATCH * 5));
      answerParams = answerParams.slice(ANSWER_BATCH * 5);
    }
    if (all) {
      for (let i = 0; i < answerParams.length; i += 5) answerOne.run(answerParams.slice(i, i + 5));
      answerParams = [];
    }
  };

  let responseId = firstId;
  const answer = (item: number, optionId: number | null, num: number | null, text: string | null) => {
    answerParams.push(responseId, item, optionId, num, text);
    answerRows++;
  };

  const one = (n: number) => {
    for (let i = 0; i < n; i++) {
      const submitted = new Date(opens + (span * (responseId - firstId + rand())) / respondents);
      const started = new Date(submitted.getTime() - 60_000 * (2 + Math.floor(rand() * 30)));
      const stamp = submitted.toISOString();
      // id, reference, channel, started_at, updated_at, submitted_at
      responseParams.push(
        responseId,
        reference(),
        channels[draw(channelCum, rand())] ?? "online",
        started.toISOString(),
        stamp,
        stamp,
      );
      generateAnswers();
      if (answerParams.length >= ANSWER_BATCH * 5) flushAnswers(false);
      if (responseParams.length >= RESPONSE_BATCH * 6) {
        responseBatch.run(responseParams);
        responseParams = [];
      }
      responseId++;
    }
  };

  const generateAnswers = () => {
    const band = draw(bandCum, rand());
    // Roles: 1 to 3 ticked.
    const ticked: number[] = [];
    roleChance.forEach((p, k) => {
      if (rand() < p) ticked.push(k);
    });
    if (ticked.length === 0) ticked.push(0);
    if (ticked.length > 3) ticked.length = 3;
    const supplier = ticked.includes(3);
    for (const k of ticked)
      answer(roles.item, roles.options[k] ?? null, null, k === 5 ? "Parish councillor and volunteer" : null);
    if (rand() < 0.97) answer(age.item, age.options[draw(ageCum, rand())] ?? null, null, null);
    if (rand() < 0.95) answer(district.item, district.options[draw(districtCum, rand())] ?? null, null, null);
    if (supplier) answer(orgSize.item, orgSize.options[draw(sizeCum, rand())] ?? null, null, null);
    // Paired before: after reading, about a third move one step towards agreement.
    const beforeAnswers: number[] = [];
    before.forEach((item, s) => {
      const k = rand() < 0.96 ? draw(agreeTables[s]?.[band] ?? new Float64Array([1]), rand()) : -1;
      beforeAnswers.push(k);
      if (k >= 0) answer(item, agreeOpts[k] ?? null, null, null);
    });
    const likert = (item: number, table: number) => {
      if (rand() < 0.97)
        answer(
          item,
          agreeOpts[draw(agreeTables[table]?.[band] ?? new Float64Array([1]), rand())] ?? null,
          null,
          null,
        );
    };
    likert(vision, 4);
    likert(fairness, 5);
    themes.forEach((item, s) => {
      if (rand() < 0.93)
        answer(
          item,
          agreeOpts[draw(agreeTables[(s + 4) % 12]?.[band] ?? new Float64Array([1]), rand())] ?? null,
          null,
          null,
        );
    });
    if (rand() < 0.3) answer(visionComments, null, null, sentence(rand));
    priorities.forEach((item, s) => {
      if (rand() < 0.94)
        answer(
          item,
          importanceOpts[draw(importanceTables[s]?.[band] ?? new Float64Array([1]), rand())] ?? null,
          null,
          null,
        );
    });
    likert(trust, 11);
    if (rand() < 0.96)
      answer(
        satisfaction,
        satisfactionOpts[draw(satisfactionTables[band] ?? new Float64Array([1]), rand())] ?? null,
        null,
        null,
      );
    serviceChance.forEach((p, k) => {
      if (rand() < p) answer(services.item, services.options[k] ?? null, null, null);
    });
    if (rand() < 0.95) answer(contact.item, contact.options[draw(contactCum, rand())] ?? null, null, null);
    after.forEach((item, s) => {
      const b = beforeAnswers[s] ?? -1;
      if (rand() >= 0.95) return;
      let k: number;
      if (b >= 0 && b < 5) k = rand() < 0.33 && b > 0 ? b - 1 : b;
      else k = draw(agreeTables[s]?.[band] ?? new Float64Array([1]), rand());
      answer(item, agreeOpts[k] ?? null, null, null);
    });
    const supportK =
      band <= 1
        ? rand() < 0.8
          ? 0
          : 2
        : band >= 3
          ? rand() < 0.7
            ? 1
            : 2
          : draw(cumulative([0.4, 0.3, 0.3]), rand());
    if (rand() < 0.97) answer(support.item, support.options[supportK] ?? null, null, null);
    if (rand() < 0.8) answer(household, null, 1 + Math.floor(rand() * rand() * 6), null);
    let heardAny = false;
    heardChance.forEach((p, k) => {
      if (rand() < p) {
        heardAny = true;
        answer(heard.item, heard.options[k] ?? null, null, null);
      }
    });
    if (!heardAny) answer(heard.item, heard.options[0] ?? null, null, null);
    if (rand() < 0.25) answer(otherIdeas, null, null, sentence(rand));
    if (rand() < 0.35) answer(comments, null, null, sentence(rand));
  };

  const started = performance.now();
  for (let done = 0; done < respondents; done += PER_TRANSACTION) {
    const n = Math.min(PER_TRANSACTION, respondents - done);
    db.transaction(() => {
      one(n);
      flushAnswers(true);
      for (let i = 0; i < responseParams.length; i += 6) responseOne.run(responseParams.slice(i, i + 6));
      responseParams = [];
    })();
    if ((done / PER_TRANSACTION) % 4 === 3)
      log(
        `  ${(done + n).toLocaleString("en-GB")} responses, ${answerRows.toLocaleString("en-GB")} answer rows, ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }
  return answerRows;
}

// `node dist/tests/bench/lib/generate-responses.js [--force]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = benchDatabase((line) => console.log(line), process.argv.includes("--force"));
  console.log(JSON.stringify(result, null, 2));
}
