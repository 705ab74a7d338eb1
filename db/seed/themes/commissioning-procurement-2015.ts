import { COMMISSIONING_SLUG, DISAGREE_REASON_THEMES } from "../responses/commissioning-procurement-2015.js";
import type { DemoCodebook } from "./index.js";

/**
 * The codebook the council's feedback summary (Scrutiny Commission, 28 January 2015) coded the
 * comments to "If you disagreed with any of these statements, please tell us why" into, with an
 * officer's tag on each demo comment of each theme, so the demo's theme counts are the published
 * ones: use of the VCS 6, commissioning and procurement process delivery model 3, communication of
 * messages 7, service delivery 6. The quotes are the ones the summary printed.
 */
export const COMMISSIONING_CODEBOOK: DemoCodebook = {
  slug: COMMISSIONING_SLUG,
  themes: [
    {
      name: "Use of the VCS",
      description:
        "Relying more on the voluntary and community sector and on volunteers: cost, continuity, and whether the community can meet the need.",
      questions: ["disagree-reasons"],
      rules: 'volunteer\n"voluntary sector"\n"voluntary groups"\ncommunity need',
      comments: DISAGREE_REASON_THEMES["use-of-vcs"] ?? [],
      quotes: [
        "Using the voluntary sector and volunteers more would be a more cost effective way",
        "The use of volunteers is a cost effective way to offer continuity of services...",
        "the community cannot always meet the needs required",
      ],
    },
    {
      name: "Commissioning and procurement process delivery model",
      description:
        "The proposed Centre of Excellence for Commissioning Support, the balance of central and departmental support, and commissioning as a profession.",
      questions: ["disagree-reasons"],
      rules: '"centre of excellence"\ncommissioning support\ncommissioning profession',
      comments: DISAGREE_REASON_THEMES["delivery-model"] ?? [],
      quotes: [],
    },
    {
      name: "Communication of messages",
      description:
        "How clearly the strategy says what will change: its language, its jargon and the commissioning roles.",
      questions: ["disagree-reasons"],
      rules: 'jargon\n"plain english"\nlanguage\nexplain\nunderstand',
      comments: DISAGREE_REASON_THEMES.communication ?? [],
      quotes: [
        "The publication of the new strategy has made the commissioning and procurement process much clearer. The consultation will (hopefully) lead to the Council doing an even better job.",
        "Written at very high, strategic level, it is difficult to understand from this, how the function will work in LCC going forward.",
      ],
    },
    {
      name: "Service delivery",
      description:
        "The funding situation and reductions in services: savings, protecting services for vulnerable people, ring-fencing.",
      questions: ["disagree-reasons"],
      rules: 'cut services\nreduc services\n"ring-fenced"\nservices stop',
      comments: DISAGREE_REASON_THEMES["service-delivery"] ?? [],
      quotes: [],
    },
  ],
};
