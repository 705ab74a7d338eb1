import type { AnswerSet } from "../../../analysis/answers.js";
import {
  type Comment,
  Crowd,
  codeOf,
  type DemoResponse,
  expand,
  mulberry32,
  responses,
  spreadTimes,
  type Tally,
  ticked,
} from "./shared.js";

/**
 * Demo responses for the Commissioning and Procurement Strategy consultation (19 November 2014 to
 * 15 January 2015), built to reproduce the council's consultation feedback summary (Scrutiny
 * Commission, 28 January 2015): 43 online questionnaires, the roles, the supplier details, the
 * before/after shifts, "best way forward", the principles and the free-text themes.
 */
export const COMMISSIONING_SLUG = "commissioning-procurement-2015";
export const COMMISSIONING_RESPONSES = 43;

const AGREE = "agreement-5";
const has = (role: string) => (a: AnswerSet) => ticked(a, "roles").includes(role);
const isEmployee = has("employee");
const isOrganisation = (a: AnswerSet) =>
  ["vcs", "business", "supplier", "other"].some((r) => ticked(a, "roles").includes(r));

/**
 * Who ticked what: 52 ticks over 43 people (14 public, 4 service users, 4 VCS, 3 businesses,
 * 9 suppliers, 16 employees, 2 other), which also split 16 employees / 14 public / 13 business and
 * supplier organisations as the covering report puts it. The 9 suppliers: 6 in social care, plus
 * analytical services and vehicle hire; 5 head offices in Leicestershire and 4 elsewhere (Cardiff,
 * London, Staffordshire...); 5 SMEs, 4 of them voluntary and community sector.
 */
function profiles(): AnswerSet[] {
  const roles = (...codes: string[]) => ({ roles: { codes } });
  const supplier = (
    extra: string[],
    service: string,
    town: string,
    size: string,
    vcs: boolean,
  ): AnswerSet => ({
    roles: { codes: [...extra, "supplier"] },
    "supplier-services": { codes: [service] },
    "head-office-town": town,
    "organisation-size": size,
    "supplier-sme": size === "large" ? "no" : "yes",
    "supplier-vcs": vcs ? "yes" : "no",
  });
  return [
    ...expand([[roles("public"), 11]]),
    ...expand([[roles("public", "service-user"), 3]]),
    ...expand([[roles("employee"), 15]]),
    roles("service-user", "employee"),
    supplier(["vcs"], "adult-social-care", "Loughborough", "micro", true),
    supplier(["vcs"], "adult-social-care", "Hinckley", "small", true),
    supplier(["vcs"], "adult-social-care", "Coalville", "small", true),
    supplier(["vcs"], "childrens-services", "Melton Mowbray", "medium", true),
    supplier(["business"], "transport", "Market Harborough", "small", false),
    supplier([], "adult-social-care", "Cardiff", "large", false),
    supplier([], "adult-social-care", "London", "large", false),
    supplier([], "professional", "Stafford", "large", false),
    supplier([], "ict", "Nottingham", "large", false),
    roles("business"),
    roles("business"),
    { roles: { codes: ["other"], other: "Parish council" } },
    { roles: { codes: ["other"], other: "Potential supplier to the County Council" } },
  ].map((p) => structuredClone(p));
}

/** Agree = strongly or tend to agree; counts of 43 (no "don't know" in the paired statements). */
export const PERCEPTIONS: Record<string, { before: Tally; after: Tally }> = {
  // 36 -> 38 agree (83.7% -> 88.4%, +4.7 points): the smallest shift, from a high baseline.
  "understand-challenges": {
    before: { "strongly-agree": 16, agree: 20, neither: 4, disagree: 2, "strongly-disagree": 1 },
    after: { "strongly-agree": 19, agree: 19, neither: 3, disagree: 1, "strongly-disagree": 1 },
  },
  // 28 -> 32 (65.1% -> 74.4%, +9.3): joint second lowest with the community's role.
  "commissioning-role": {
    before: { "strongly-agree": 10, agree: 18, neither: 10, disagree: 4, "strongly-disagree": 1 },
    after: { "strongly-agree": 13, agree: 19, neither: 8, disagree: 2, "strongly-disagree": 1 },
  },
  // 25 -> 29 (58.1% -> 67.4%, +9.3).
  "community-role": {
    before: { "strongly-agree": 8, agree: 17, neither: 11, disagree: 5, "strongly-disagree": 2 },
    after: { "strongly-agree": 11, agree: 18, neither: 9, disagree: 3, "strongly-disagree": 2 },
  },
  // 14 -> 22 (32.6% -> 51.2%, +18.6): the greatest shift.
  "best-job": {
    before: { "strongly-agree": 3, agree: 11, neither: 13, disagree: 10, "strongly-disagree": 6 },
    after: { "strongly-agree": 6, agree: 16, neither: 12, disagree: 6, "strongly-disagree": 3 },
  },
};

/** 22 of 42 agreed (52.4%), 11 neither (26%), 9 tended to disagree (21%); one did not know. */
export const BEST_WAY_FORWARD: Tally = {
  "strongly-agree": 6,
  agree: 16,
  neither: 11,
  disagree: 9,
  "strongly-disagree": 0,
  "dont-know": 1,
};

/** Well received; the enhanced commercial approach the least popular (20 of 41 agree, 48.8%). */
export const PRINCIPLES: Record<string, Tally> = {
  evidence: { "strongly-agree": 20, agree: 17, neither: 4, disagree: 1, "dont-know": 1 },
  "needs-demand": { "strongly-agree": 14, agree: 19, neither: 6, disagree: 3, "dont-know": 1 },
  outcomes: {
    "strongly-agree": 13,
    agree: 18,
    neither: 8,
    disagree: 2,
    "strongly-disagree": 1,
    "dont-know": 1,
  },
  "delivery-model": {
    "strongly-agree": 12,
    agree: 18,
    neither: 7,
    disagree: 4,
    "strongly-disagree": 1,
    "dont-know": 1,
  },
  "enhanced-commercial": {
    "strongly-agree": 7,
    agree: 13,
    neither: 10,
    disagree: 7,
    "strongly-disagree": 4,
    "dont-know": 2,
  },
  collaboration: { "strongly-agree": 21, agree: 16, neither: 3, disagree: 2, "dont-know": 1 },
  performance: { "strongly-agree": 12, agree: 20, neither: 8, disagree: 2, "dont-know": 1 },
  sustainability: {
    "strongly-agree": 17,
    agree: 17,
    neither: 6,
    disagree: 1,
    "strongly-disagree": 1,
    "dont-know": 1,
  },
};

const agrees = (code: string | undefined) => code === "strongly-agree" || code === "agree";
/** Someone who was not in agreement with at least one before/after statement. */
const hadDoubts = (a: AnswerSet) =>
  Object.keys(PERCEPTIONS).some(
    (s) => !agrees(codeOf(a, "perceptions-before", s)) || !agrees(codeOf(a, "perceptions-after", s)),
  );

/**
 * The comments given to "If you disagreed with any of these statements, please tell us why", by the
 * theme the council counted them under (use of the VCS 6, commissioning and procurement process
 * delivery model 3, communication of messages 7, service delivery 6). Quoted ones are the report's.
 */
export const DISAGREE_REASON_THEMES: Record<string, readonly Comment[]> = {
  "use-of-vcs": [
    { text: "Using the voluntary sector and volunteers more would be a more cost effective way" },
    { text: "The use of volunteers is a cost effective way to offer continuity of services..." },
    { text: "the community cannot always meet the needs required", who: hadDoubts },
    { text: "Volunteers cannot be expected to run services that need trained, paid staff.", who: hadDoubts },
    {
      text: "Voluntary groups are already stretched and would need funding to take on more.",
      who: hadDoubts,
    },
    {
      text: "The strategy leans on the voluntary sector without saying how it will be supported.",
      who: hadDoubts,
    },
  ],
  "delivery-model": [
    {
      text: "A centre of excellence is a good idea, but departments still need their own commissioning support.",
    },
    { text: "Commissioning is a skilled job and should be recognised as a profession in its own right." },
    {
      text: "The balance between central and departmental commissioning support needs to be right.",
      who: hadDoubts,
    },
  ],
  communication: [
    {
      text: "The publication of the new strategy has made the commissioning and procurement process much clearer. The consultation will (hopefully) lead to the Council doing an even better job.",
      who: (a) => agrees(codeOf(a, "best-way-forward")),
    },
    {
      text: "Written at very high, strategic level, it is difficult to understand from this, how the function will work in LCC going forward.",
      who: hadDoubts,
    },
    {
      text: "The language in the strategy is hard to follow for anyone outside the Council.",
      who: hadDoubts,
    },
    {
      text: "I am not clear what the difference is between an operational commissioner, a strategic commissioner and commissioning support.",
      who: isEmployee,
    },
    {
      text: "Too much jargon. A plain English version would help people see what is proposed.",
      who: hadDoubts,
    },
    { text: "It does not explain what will actually change for people who use services.", who: hadDoubts },
    {
      text: "The Council needs to explain its financial position more clearly to residents.",
      who: hadDoubts,
    },
  ],
  "service-delivery": [
    {
      text: "Some of the biggest savings will only come from reducing services; the strategy should say so.",
    },
    {
      text: "Cutting services is not the answer. Services for vulnerable people should be protected.",
      who: hadDoubts,
    },
    { text: "Services for children and older people should be ring-fenced.", who: hadDoubts },
    { text: "The funding situation is severe and some services will have to stop." },
    { text: "Reducing services now will only increase demand and cost later.", who: hadDoubts },
    { text: "Front-line services have already been cut too far.", who: hadDoubts },
  ],
};

const PRINCIPLE_COMMENTS: readonly Comment[] = [
  {
    text: "The principles provide the breadth required and useful depth in the ‘what we will do’ section",
    who: (a) => agrees(codeOf(a, "best-way-forward")),
  },
  {
    text: "Greater involvement of people who will use services in their design and delivery.",
    who: (a) => has("public")(a) || has("service-user")(a),
  },
  {
    text: "provide plans for seamless, joint-working with hospitals to predict and manage social care demand - there is lots of demand planning information in NHS data that is not being shared or used by the Council.",
  },
  {
    text: "Many voluntary sector organisations are professional and deliver a very high standard of care and support working with a lot less infrastructure than commercial businesses.",
    who: has("vcs"),
  },
  { text: "[use of] Volunteers / time banking is not efficient to meet the need / experience required..." },
  {
    text: "An enhanced commercial approach will undoubtedly ignore the basic needs of our most vulnerable service users, it will also stop smaller companies winning contracts",
    who: (a) =>
      ["disagree", "strongly-disagree"].includes(
        codeOf(a, "principles-agreement", "enhanced-commercial") ?? "",
      ),
  },
  { text: "There is not enough focus on co-production and co-delivery of services." },
  {
    text: "If a rolling predicted spend for a minimum of 2 or better 3 years could be provided then better planning can be made.",
    who: has("supplier"),
  },
  {
    text: "Better communication between departmental colleagues would enhance the experience for both staff and customers.",
    who: isEmployee,
  },
  {
    text: "A consistent approach to performance management would be beneficial in order to ensure the services needed are functioning at a high level.",
  },
  { text: "Making decisions based on evidence should come first: it underpins all the other principles." },
  {
    text: "Bigger joint contracts will shut out small firms and voluntary groups unless they are split into lots.",
    who: isOrganisation,
  },
  {
    text: "There is no data on the size or age profile of the LGBT population in Leicestershire, so decisions cannot be evidence based for them.",
    who: isEmployee,
  },
  { text: "An outcomes based approach will not suit every service." },
];

const IMPROVEMENT_COMMENTS: readonly Comment[] = [
  {
    text: "Make the tendering process easier so that smaller less well established companies and community organisations have a better chance of winning contracts, this will enhance the market place, support diversity and give real opportunities for development and choice.",
    who: isOrganisation,
  },
  {
    text: "Staff should be more aware of what the commissioning and procurement function does and how it directly relates to their role. It is clear that this message is not well known.",
    who: isEmployee,
  },
  { text: "Recognise de-commissioning as a commissioning activity: stopping a service is a decision too." },
  {
    text: "Share a forward plan of what the Council intends to commission so that suppliers can prepare.",
    who: has("supplier"),
  },
  {
    text: "Split large contracts into smaller lots so local SMEs and voluntary groups can bid.",
    who: isOrganisation,
  },
  { text: "Analyse spend across departments to see where money could be saved." },
  { text: "Bring in third party scrutiny for all major schemes." },
  { text: "Use mediation to resolve disputes across the authority before they escalate.", who: isEmployee },
  { text: "A unitary council for Leicestershire would save more than any procurement strategy." },
  {
    text: "An employee award scheme that shares part of the savings staff find would encourage ideas.",
    who: isEmployee,
  },
];

export function commissioningResponses(): DemoResponse[] {
  const rand = mulberry32(20150128);
  const crowd = new Crowd(COMMISSIONING_RESPONSES, rand);
  crowd.assignProfiles(profiles());
  // Staff were a little readier to say the Council is doing its best; noise keeps it loose.
  crowd.warm(isEmployee, 0.5);
  for (const [statement, tallies] of Object.entries(PERCEPTIONS)) {
    crowd.paired("perceptions-before", "perceptions-after", statement, AGREE, tallies);
  }
  crowd.scale("best-way-forward", undefined, AGREE, BEST_WAY_FORWARD, 0.8);
  for (const [statement, tally] of Object.entries(PRINCIPLES)) {
    crowd.scale("principles-agreement", statement, AGREE, tally);
  }
  crowd.comment("disagree-reasons", Object.values(DISAGREE_REASON_THEMES).flat());
  crowd.comment("principles-comments", PRINCIPLE_COMMENTS);
  crowd.comment("improve-strategy", IMPROVEMENT_COMMENTS);

  const times = spreadTimes(
    COMMISSIONING_RESPONSES,
    [
      { from: "2014-11-19", to: "2014-12-19", weight: 3 },
      { from: "2014-12-20", to: "2015-01-01", weight: 0.5 },
      { from: "2015-01-02", to: "2015-01-15", weight: 2 },
    ],
    rand,
  );
  // "43 responses were received to the on-line consultation questionnaire"; the verbal and e-mail
  // feedback the summary also mentions was not a questionnaire response.
  return responses(crowd, times, [["online", COMMISSIONING_RESPONSES]]);
}
