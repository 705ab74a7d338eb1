import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import type { FilterChoice } from "../../../services/results.js";

/** What a campaign's counting means, in the words the dashboard, the CSV and the report use. */
export function countingSentence(counting: "each" | "once"): string {
  return counting === "once"
    ? "Campaigns (near-identical comments sent by several respondents) count once in the theme counts, however many sent them."
    : "Campaigns (near-identical comments sent by several respondents) count once per respondent who sent them.";
}

/** The campaign counting note and the theme x stance tables for the dashboard's group. */
export function insightsOnDashboard(
  services: Services,
  consultation: ConsultationSummary,
  filter: FilterChoice | null,
) {
  const group = services.results.respondents(consultation, filter ? [filter] : []);
  return {
    counting: countingSentence(services.insights.counting(consultation)),
    stances: services.insights.themeStance(consultation, group.has),
  };
}
