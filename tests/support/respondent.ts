import request from "supertest";
import type { TestApp } from "./app.js";
import { csrfFrom } from "./app.js";

type Fields = Record<string, string | string[]>;

/** A respondent's browser without JavaScript: keeps cookies, reads each form's CSRF token, posts. */
export class Respondent {
  readonly agent: ReturnType<typeof request.agent>;
  constructor(
    readonly t: TestApp,
    readonly slug: string,
  ) {
    this.agent = request.agent(t.app);
  }

  get base() {
    return `/consultations/${this.slug}`;
  }

  async start() {
    const page = await this.agent.get(this.base).expect(200);
    return this.agent
      .post(`${this.base}/start`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
  }

  /** Open a page (to get its token) and post the fields to it. */
  async answer(pageId: string, fields: Fields, query = "") {
    const page = await this.agent.get(`${this.base}/respond/${pageId}${query}`).expect(200);
    return this.agent
      .post(`${this.base}/respond/${pageId}${query}`)
      .type("form")
      .send(toForm({ _csrf: csrfFrom(page.text), ...fields }));
  }

  async submit() {
    const check = await this.agent.get(`${this.base}/check`).expect(200);
    return this.agent
      .post(`${this.base}/submit`)
      .type("form")
      .send({ _csrf: csrfFrom(check.text) });
  }
}

/** Encode fields as a browser does, repeating a name for each ticked checkbox. */
export function toForm(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

export const commercialResident = {
  "about-you": { roles: ["resident"] },
  "before-reading": {
    "commercial-views-before--understand-challenges": "agree",
    "commercial-views-before--sell-services": "neither",
    "commercial-views-before--reinvest-surplus": "agree",
    "commercial-views-before--business-like": "disagree",
  },
  "the-strategy": {},
  "after-reading": {
    "commercial-views-after--understand-challenges": "strongly-agree",
    "commercial-views-after--sell-services": "agree",
    "commercial-views-after--reinvest-surplus": "agree",
    "commercial-views-after--business-like": "dont-know",
  },
  "vision-and-themes": {
    "vision-agreement": "agree",
    "themes-agreement--commercial-skills": "agree",
    "themes-agreement--current-trading": "neither",
    "themes-agreement--new-models": "strongly-agree",
  },
  "trading-areas": {
    "trading-areas-importance--catering": "very",
    "trading-areas-importance--property": "fairly",
    "trading-areas-importance--music": "not-very",
    "trading-areas-importance--hr-payroll": "fairly",
    "trading-areas-importance--services-to-schools": "very",
    "trading-areas-importance--highways": "very",
    "trading-areas-importance--heritage": "not-at-all",
    "trading-areas-importance--adult-learning": "fairly",
    "trading-areas-importance--trading-standards": "dont-know",
    "trading-areas-importance--registrars": "fairly",
    "trading-areas-importance--legal": "not-very",
    "trading-areas-importance--care-services": "very",
    "other-trading-ideas": "",
  },
  comments: { comments: "Keep libraries open.\r\nAnd publish the figures." },
} satisfies Record<string, Fields>;
