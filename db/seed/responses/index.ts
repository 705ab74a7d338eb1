import { COMMISSIONING_SLUG, commissioningResponses } from "./commissioning-procurement-2015.js";
import { COMMUNITIES_SLUG, communitiesResponses } from "./communities-approach-2022.js";
import type { DemoResponse } from "./shared.js";
import { STRATEGIC_PLAN_SLUG, strategicPlanResponses } from "./strategic-plan-2022.js";

export { type DemoResponse, demoReference, demoResponseProblem, mulberry32 } from "./shared.js";

/**
 * The closed demo consultations and their demo responses, with the seed of each one's references.
 * The open demo consultation (commercial-strategy-2018) has none: real respondents fill it in.
 */
export const DEMO_RESPONSES: Readonly<
  Record<string, { generate: () => DemoResponse[]; referenceSeed: number }>
> = {
  [COMMISSIONING_SLUG]: { generate: commissioningResponses, referenceSeed: 0x5eed2015 },
  [STRATEGIC_PLAN_SLUG]: { generate: strategicPlanResponses, referenceSeed: 0x5eed2022 },
  [COMMUNITIES_SLUG]: { generate: communitiesResponses, referenceSeed: 0x5eed2026 },
};
