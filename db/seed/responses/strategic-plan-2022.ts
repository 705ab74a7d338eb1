import type { AnswerSet } from "../../../analysis/answers.js";
import {
  type Comment,
  Crowd,
  codeOf,
  type DemoResponse,
  mulberry32,
  responses,
  spreadTimes,
  type Tally,
} from "./shared.js";

/**
 * Demo responses for the draft Strategic Plan 2022-26 public survey (1 November 2021 to 18 February
 * 2022 after its extension), built to reproduce the outcome report (Scrutiny Commission, 9 March
 * 2022): 259 responses; agreement with the vision, the outcomes overall and each outcome; and the
 * importance of each aim, with housing development the least important of all.
 *
 * Every share is taken the council's way: of those who gave a view, leaving out "don't know".
 */
export const STRATEGIC_PLAN_SLUG = "strategic-plan-2022";
export const STRATEGIC_PLAN_RESPONSES = 259;

const AGREE = "agreement-5";
const IMPORTANCE = "importance-4";

const agreement = (sa: number, a: number, n: number, d: number, sd: number, dk: number): Tally => ({
  "strongly-agree": sa,
  agree: a,
  neither: n,
  disagree: d,
  "strongly-disagree": sd,
  "dont-know": dk,
});
const importance = (very: number, fairly: number, notVery: number, notAtAll: number, dk: number): Tally => ({
  very,
  fairly,
  "not-very": notVery,
  "not-at-all": notAtAll,
  "dont-know": dk,
});

/** Vision: 201 of 254 agree (79%), 99 strongly (39%), 25 disagree (10%). */
export const VISION = agreement(99, 102, 28, 15, 10, 5);
/** The outcomes overall: 201 of 255 agree (79%), 107 strongly (42%). */
export const OUTCOMES_OVERALL = agreement(107, 94, 30, 16, 8, 4);
export const OUTCOMES: Record<string, Tally> = {
  // 211 of 254 (83%), 137 strongly (54%)
  "clean-green": agreement(137, 74, 24, 12, 7, 5),
  // 192 of 253 (76%), 111 strongly (44%)
  "great-communities": agreement(111, 81, 38, 15, 8, 6),
  // 224 of 255 (88%), 148 strongly (58%)
  "improving-opportunities": agreement(148, 76, 18, 9, 4, 4),
  // 171 of 252 (68%), 86 strongly (34%); 43 disagree (17%), 15 strongly (6%)
  "strong-economy": agreement(86, 85, 38, 28, 15, 7),
  // 212 of 256 (83%), 143 strongly (56%)
  "safe-well": agreement(143, 69, 28, 10, 6, 3),
};

/** The aims of each outcome: question id -> statement -> counts. */
export const AIMS: Record<string, Record<string, Tally>> = {
  // Over 90% rate every aim fairly or very important.
  "clean-green-aims": {
    "climate-action": importance(150, 88, 12, 5, 4),
    nature: importance(170, 72, 8, 4, 5),
    waste: importance(190, 57, 5, 3, 4),
    "council-net-zero": importance(158, 76, 12, 7, 6),
    "county-net-zero": importance(155, 78, 13, 7, 6),
  },
  // Strong support for accessible services, the VCSE sector, cohesion and influence; less for
  // culture and heritage (the least important here, as in the staff briefings), volunteering,
  // Neighbourhood Plans and Community Response Plans.
  "great-communities-aims": {
    "accessible-services": importance(165, 78, 8, 3, 5),
    cohesion: importance(150, 85, 12, 6, 6),
    "influence-decisions": importance(140, 90, 17, 6, 6),
    "neighbourhood-plans": importance(60, 110, 52, 22, 15),
    "culture-heritage": importance(55, 112, 58, 25, 9),
    "community-response-plans": importance(62, 115, 45, 17, 20),
    volunteering: importance(80, 110, 42, 20, 7),
    "vcse-support": importance(155, 86, 8, 4, 6),
  },
  // The most popular outcome: every aim over 90% fairly or very important and over 60% very.
  "improving-opportunities-aims": {
    "early-development": importance(175, 67, 8, 4, 5),
    "school-places": importance(190, 55, 6, 3, 5),
    "disadvantaged-attainment": importance(170, 70, 9, 4, 6),
    "family-resilience": importance(160, 78, 10, 4, 7),
    neet: importance(165, 75, 9, 4, 6),
    "adults-independence": importance(168, 72, 9, 4, 6),
  },
  // Housing the least important aim of all: 58 of 252 not at all (23%), 48 not very (19%). Low
  // support for R&D, business growth and employment sites; high for young people's jobs, skills,
  // inclusive growth and infrastructure.
  "strong-economy-aims": {
    "skills-shortages": importance(140, 92, 14, 5, 8),
    "young-people-jobs": importance(170, 72, 8, 3, 6),
    infrastructure: importance(150, 80, 14, 9, 6),
    housing: importance(50, 96, 48, 58, 7),
    "employment-sites": importance(60, 118, 50, 19, 12),
    "research-development": importance(70, 112, 46, 18, 13),
    "business-growth": importance(72, 118, 40, 16, 13),
    "inclusive-growth": importance(145, 88, 13, 6, 7),
  },
  // Over 90% for every aim and a majority "very important"; healthy weight the least supported.
  "safe-well-aims": {
    "less-crime": importance(180, 65, 7, 3, 4),
    "youth-crime": importance(170, 72, 8, 3, 6),
    "vulnerable-people": importance(205, 45, 3, 2, 4),
    "healthy-life": importance(160, 80, 9, 4, 6),
    "healthy-weight": importance(132, 98, 17, 6, 6),
    "mental-wellbeing": importance(190, 58, 5, 2, 4),
    "care-experiences": importance(185, 60, 6, 2, 6),
    "unpaid-carers": importance(192, 57, 4, 2, 4),
  },
};

/** Who responded (the report gives no breakdown; mostly residents). */
export const RESPONDENT_TYPES: readonly (readonly [string, number])[] = [
  ["resident", 198],
  ["business", 6],
  ["voluntary-community", 11],
  ["partner", 5],
  ["parish-council", 10],
  ["employee", 24],
  ["elected-member", 2],
  ["other", 3],
];

const rated =
  (question: string, statement: string, ...codes: string[]) =>
  (a: AnswerSet) =>
    codes.includes(codeOf(a, question, statement) ?? "");
const housingLow = rated("strong-economy-aims", "housing", "not-very", "not-at-all");
const asType = (type: string) => (a: AnswerSet) => codeOf(a, "respondent-type") === type;

const CLEAN_GREEN_COMMENTS: readonly Comment[] = [
  {
    text: "This outcome does not sit well with building thousands of new houses on green fields.",
    who: housingLow,
  },
  { text: "Please do more to make cycling and walking safe, and keep the rural buses running." },
  { text: "Attract green businesses to the county, and the jobs that come with them." },
  { text: "Teach residents, and children in schools, more about climate change and what they can do." },
  { text: "Cut the amount of waste we produce in the first place, not just recycle more of it." },
  { text: "Work with farmers: they manage most of the land and can do a lot for the climate and wildlife." },
  { text: "Why does the plan still talk about fitting new gas boilers?" },
  { text: "2045 is too late. The county should aim for net zero sooner." },
  { text: "Good to see the Council setting a target for its own emissions." },
  { text: "Plant more trees and look after the hedgerows and verges." },
];

const GREAT_COMMUNITIES_COMMENTS: readonly Comment[] = [
  {
    text: "Sustaining volunteering sounds like the Council passing its job on to unpaid volunteers.",
    who: rated("great-communities-aims", "volunteering", "not-very", "not-at-all"),
  },
  { text: "Councillors are how residents influence decisions, and the plan should say so." },
  { text: "Not everywhere has a parish council. What about the non-parished areas?" },
  {
    text: "Neighbourhood Plans are a district council matter, not a County Council one.",
    who: rated("great-communities-aims", "neighbourhood-plans", "not-very", "not-at-all"),
  },
  {
    text: "Culture and heritage matter, but they are not a priority when money is this tight.",
    who: rated("great-communities-aims", "culture-heritage", "not-very", "not-at-all"),
  },
  {
    text: "Keep supporting the voluntary sector: it carried a lot of the load during the pandemic.",
    who: asType("voluntary-community"),
  },
  { text: "Council services must stay accessible to people who are not online." },
  { text: "More needs to be done about hate crime in some of our towns." },
];

const IMPROVING_OPPORTUNITIES_COMMENTS: readonly Comment[] = [
  { text: "Cuts to youth services and education support will make this hard to achieve." },
  { text: "Mainstream schools need more resources to support children with an EHCP." },
  { text: "Not every young person should be pushed towards university. Promote apprenticeships too." },
  { text: "Libraries have a big part to play, for example reading sessions for young children." },
  { text: "How exactly will families be helped to become self-sufficient?" },
  { text: "The targets for young people after 16 should be more ambitious." },
  { text: "This should also be about adults getting back into learning and work, not only children." },
  { text: "'Improved Opportunities' would match the names of the other outcomes better." },
  { text: "More specialist school places are needed now; families wait far too long." },
];

const STRONG_ECONOMY_COMMENTS: readonly Comment[] = [
  {
    text: "Building on green fields undermines the Clean, Green outcome. Which comes first, green or growth?",
    who: housingLow,
  },
  {
    text: "New estates go up without the schools, surgeries and buses to serve them.",
    who: housingLow,
  },
  { text: "Planning for housing is a district council job, not the County Council's.", who: housingLow },
  {
    text: "The roads are already congested. Invest in buses, trains and safe cycle routes before building more.",
    who: housingLow,
  },
  { text: "We do not need more warehouses. Support growth sectors rather than logistics." },
  { text: "Libraries can help people build skills and find work." },
  { text: "How will the Council support green technologies and the jobs in them?" },
  { text: "Link schools with local employers to close skills gaps." },
  { text: "Encourage businesses to take on more apprentices.", who: asType("business") },
  {
    text: "Affordable homes for local young people are badly needed.",
    who: rated("strong-economy-aims", "housing", "very"),
  },
];

const SAFE_WELL_COMMENTS: readonly Comment[] = [
  { text: "The County Council has little control over crime levels; that is for the Police." },
  {
    text: "Healthy weight is down to individuals taking responsibility for themselves.",
    who: rated("safe-well-aims", "healthy-weight", "fairly", "not-very", "not-at-all"),
  },
  { text: "What about road safety? Speeding through villages is a real problem." },
  { text: "How will the Council tackle drug and alcohol misuse?" },
  { text: "Access to green space matters for people's wellbeing." },
  { text: "Unpaid carers should have a say in designing the services they rely on." },
  { text: "Invest in training, and paying, the social care workforce." },
  { text: "Please mention the scams and rogue traders who target older people." },
  { text: "New homes should be built so that frail and disabled people can live in them." },
  { text: "More use could be made of technology to help people live independently." },
  { text: "'Safe and Well' would be a simpler name." },
];

const OTHER_COMMENTS: readonly Comment[] = [
  { text: "The plan is far too long. Put the detail of the actions in a separate document." },
  { text: "It says what success looks like but sets no targets to measure it against." },
  {
    text: "Many of these aims are outside the Council's control. Be clear where you lead and where partners do.",
  },
  { text: "There is no mention of the district and borough councils." },
  { text: "Moving services online will leave behind people without broadband or digital skills." },
  { text: "Broadband in rural areas is still poor." },
  {
    text: "The vision statement adds nothing: the five outcomes say it already.",
    who: (a) => !["strongly-agree", "agree"].includes(codeOf(a, "vision-agreement") ?? ""),
  },
  {
    text: "A clear, positive plan. I like the focus on inclusive and healthy communities and greener living.",
    who: (a) => codeOf(a, "vision-agreement") === "strongly-agree",
  },
  { text: "Thank you for asking residents for their views." },
  { text: "How will all this be paid for, given the Council's finances?" },
];

export function strategicPlanResponses(): DemoResponse[] {
  const rand = mulberry32(20220309);
  const crowd = new Crowd(STRATEGIC_PLAN_RESPONSES, rand);
  crowd.assign(
    "respondent-type",
    RESPONDENT_TYPES.flatMap(([code, n]) => Array.from({ length: n }, () => code)),
  );
  crowd.scale("vision-agreement", undefined, AGREE, VISION, 0.8);
  crowd.scale("outcomes-overall", undefined, AGREE, OUTCOMES_OVERALL, 0.6);
  for (const [statement, tally] of Object.entries(OUTCOMES)) {
    crowd.scale("outcomes-agreement", statement, AGREE, tally, 0.8);
  }
  for (const [question, statements] of Object.entries(AIMS)) {
    for (const [statement, tally] of Object.entries(statements)) {
      crowd.scale(question, statement, IMPORTANCE, tally, statement === "housing" ? 2 : 1.2);
    }
  }
  crowd.comment("clean-green-comments", CLEAN_GREEN_COMMENTS);
  crowd.comment("great-communities-comments", GREAT_COMMUNITIES_COMMENTS);
  crowd.comment("improving-opportunities-comments", IMPROVING_OPPORTUNITIES_COMMENTS);
  crowd.comment("strong-economy-comments", STRONG_ECONOMY_COMMENTS);
  crowd.comment("safe-well-comments", SAFE_WELL_COMMENTS);
  crowd.comment("other-comments", OTHER_COMMENTS);

  // Twelve weeks from 1 November, then the extension to 18 February.
  const times = spreadTimes(
    STRATEGIC_PLAN_RESPONSES,
    [
      { from: "2021-11-01", to: "2022-01-21", weight: 3 },
      { from: "2022-01-22", to: "2022-02-18", weight: 0.8 },
    ],
    rand,
  );
  return responses(crowd, times, [
    ["online", 244],
    ["paper", 10],
    ["email", 5],
  ]);
}
