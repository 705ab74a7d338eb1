import type { TestApp } from "./app.js";

/** The officer who publishes results in tests that are not about who did it. */
const EDITOR = { id: 0, email: "results-publisher@example.gov.uk" };

/**
 * Publish the results of a closed consultation, as an editor's "Mark the results as published"
 * does: only then are its public report, "we did" entries and theme counts public.
 */
export function publishResults(t: TestApp, slug: string): void {
  t.services.consultations.publishResults(slug, EDITOR);
}

/** Move the clock past a consultation's closing time. */
export function closeByClock(t: TestApp, slug: string): void {
  const closes = t.services.consultations.find(slug)?.closesAt ?? "";
  t.clock.now = new Date(Date.parse(closes) + 60_000);
}
