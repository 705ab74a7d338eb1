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
 * Demo responses for the Communities Approach 2022-26 engagement questionnaire (1 November 2021 to
 * 18 February 2022), built to reproduce the engagement feedback report (Scrutiny Commission,
 * 9 March 2022): 97 responses; principles 73% agree / 24% undecided / 3% disagree; the objective
 * 60% / 19% / 21%; local assets 40% strong / 36% neither / 24% weak.
 *
 * The objective's three shares cannot all come from 97 answers by rounding each share on its own:
 * 60% of 97 needs 58, 19% needs 18 and 21% needs 20, which make 96. So one respondent left the
 * objective blank (the question is optional), and 58 / 18 / 20 of the 96 who answered give the
 * published 60 / 19 / 21 by ordinary rounding.
 */
export const COMMUNITIES_SLUG = "communities-approach-2022";
export const COMMUNITIES_RESPONSES = 97;

export const PRINCIPLES: Tally = { agree: 71, undecided: 23, disagree: 3 };
export const OBJECTIVE: Tally = { agree: 58, undecided: 19, disagree: 20 };
export const LOCAL_ASSETS: Tally = { strong: 39, neither: 35, weak: 23 };

export const RESPONDENT_TYPES: readonly (readonly [string, number])[] = [
  ["resident", 52],
  ["community-group", 18],
  ["parish-council", 12],
  ["partner", 4],
  ["employee", 8],
  ["other", 3],
];

const said =
  (question: string, ...codes: string[]) =>
  (a: AnswerSet) =>
    codes.includes(codeOf(a, question) ?? "");

const PRINCIPLES_COMMENTS: readonly Comment[] = [
  {
    text: "Good to see the Council recognising what communities can do for themselves.",
    who: said("principles-agreement", "agree"),
  },
  { text: "Empowering communities is the right approach.", who: said("principles-agreement", "agree") },
  { text: "Prevention should be at the heart of everything the Council does." },
  { text: "Which principles come first? The approach needs priorities." },
  {
    text: "How will these principles turn into action on the ground?",
    who: said("principles-agreement", "undecided"),
  },
  {
    text: "Public services still matter. Voluntary groups cannot replace them.",
    who: said("principles-agreement", "undecided", "disagree"),
  },
  {
    text: "Involve communities early, when the problem is being defined, not once the answer has been decided.",
  },
  {
    text: "This reads as a way of handing services to volunteers to save money.",
    who: said("principles-agreement", "disagree"),
  },
];

const OBJECTIVE_SUPPORT: readonly Comment[] = [
  { text: "Help with running and maintaining community buildings." },
  { text: "Support for mental health and wellbeing groups." },
  { text: "Reach the most disadvantaged communities, not only the groups that are already organised." },
  { text: "Be open to ideas that come from communities themselves." },
  { text: "Embed this way of working in every Council department." },
  {
    text: "Advice on funding, governance and insurance for small community groups.",
    who: said("respondent-type", "community-group"),
  },
  { text: "Small grants with simple application forms." },
  {
    text: "Communities need paid staff to support them, not just encouragement.",
    who: said("objective-agreement", "disagree"),
  },
];

const STRENGTHEN_ASSETS: readonly Comment[] = [
  { text: "Invest in community centres and village halls: they are the heart of many villages." },
  { text: "Keep in touch regularly and build trust, rather than only asking when you want something." },
  { text: "Recognise and fund the groups that already do the work." },
  {
    text: "Give communities and parish councils more say and more power.",
    who: said("respondent-type", "parish-council"),
  },
  { text: "Work with parish and town councils and the district councils together." },
  { text: "Areas without a parish council need support too." },
  {
    text: "Help groups to share buildings and equipment.",
    who: said("local-assets-strength", "weak", "neither"),
  },
];

const COLLABORATION_EXAMPLES: readonly Comment[] = [
  { text: "Our community managed library is run by volunteers and is busier than ever." },
  { text: "The church hall hosts a lunch club, a toddler group and a food bank collection point." },
  {
    text: "Our community cafe brings older people together every week.",
    who: said("local-assets-strength", "strong"),
  },
  { text: "The village hall committee organised help for people shielding during Covid." },
  { text: "The heritage centre is run entirely by local volunteers." },
  { text: "The community centre runs a youth club with the parish council." },
];

const OTHER_COMMENTS: readonly Comment[] = [
  { text: "The document is long; a short summary would help." },
  { text: "Thank you for the chance to comment." },
  { text: "Please make sure rural areas are not forgotten." },
  {
    text: "Clearer information on the support available from the Rural Community Council and LRALC would help.",
  },
];

export function communitiesResponses(): DemoResponse[] {
  const rand = mulberry32(20220317);
  const crowd = new Crowd(COMMUNITIES_RESPONSES, rand);
  crowd.assign(
    "respondent-type",
    RESPONDENT_TYPES.flatMap(([code, n]) => Array.from({ length: n }, () => code)),
  );
  crowd.scale("principles-agreement", undefined, "agree-undecided-disagree", PRINCIPLES, 0.8);
  crowd.scale("objective-agreement", undefined, "agree-undecided-disagree", OBJECTIVE, 0.8);
  // The one respondent who skipped the objective (see above): the first who had said "undecided".
  const skipped = crowd.answers.find((a) => a["objective-agreement"] === "undecided");
  if (skipped) delete skipped["objective-agreement"];
  // How strong local assets are is about the place, not about the Council's proposals.
  crowd.scale("local-assets-strength", undefined, "strong-neither-weak", LOCAL_ASSETS, 3);
  crowd.comment("principles-comments", PRINCIPLES_COMMENTS);
  crowd.comment("objective-support", OBJECTIVE_SUPPORT);
  crowd.comment("strengthen-assets", STRENGTHEN_ASSETS);
  crowd.comment("collaboration-examples", COLLABORATION_EXAMPLES);
  crowd.comment("other-comments", OTHER_COMMENTS);

  const times = spreadTimes(
    COMMUNITIES_RESPONSES,
    [
      { from: "2021-11-01", to: "2022-01-21", weight: 3 },
      { from: "2022-01-22", to: "2022-02-18", weight: 1 },
    ],
    rand,
  );
  // The questionnaire was online, on the Leicestershire Communities website; a few came back as
  // paper copies or by e-mail.
  return responses(crowd, times, [
    ["online", 91],
    ["paper", 3],
    ["email", 3],
  ]);
}
