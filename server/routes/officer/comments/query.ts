import type { Request } from "express";
import { MAX_COMMENT_FILTERS } from "../../../services/results.js";
import type { WorkbenchQuery } from "../../../services/themes.js";
import { parseFilter } from "../dashboard/controller.js";

/**
 * The workbench's filters as they travel in a URL: `filter` (up to three closed answers, each
 * "question:code"), `theme` (an id), `coding` (untagged or unconfirmed), `reviewed` (yes or no),
 * `flagged` (yes) and `search`. The same names are hidden fields of every form on the page, so a
 * post returns to exactly the comments the officer was looking at.
 */
export interface WorkbenchParams {
  filter: string[];
  theme: string;
  coding: "" | "untagged" | "unconfirmed";
  reviewed: "" | "yes" | "no";
  flagged: "" | "yes";
  search: string;
  /** "" newest first; "unsure": the comments the theme model is least sure about first. */
  order: "" | "unsure";
}

export const MAX_SEARCH = 200;

const text = (raw: unknown) => (typeof raw === "string" ? raw : "");
const oneOf = <T extends string>(raw: unknown, allowed: readonly T[]): T | "" =>
  allowed.includes(text(raw) as T) ? (text(raw) as T) : "";

/** The workbench parameters of a query string or a form body (unknown values read as "any"). */
export function readParams(source: Request["query"] | Record<string, unknown>): WorkbenchParams {
  const raw = source.filter;
  const filter = (Array.isArray(raw) ? raw : [raw])
    .filter((v): v is string => typeof v === "string" && v !== "")
    .slice(0, MAX_COMMENT_FILTERS + 1);
  return {
    filter,
    theme: /^\d{1,12}$/.test(text(source.theme)) ? text(source.theme) : "",
    coding: oneOf(source.coding, ["untagged", "unconfirmed"] as const),
    reviewed: oneOf(source.reviewed, ["yes", "no"] as const),
    flagged: oneOf(source.flagged, ["yes"] as const),
    search: text(source.search).slice(0, MAX_SEARCH),
    order: oneOf(source.order, ["unsure"] as const),
  };
}

/** The service's query (throws FilterError for a group filter it cannot parse). */
export function toQuery(question: string, p: WorkbenchParams): WorkbenchQuery {
  const q: WorkbenchQuery = {
    question,
    filters: p.filter.map((v) => {
      const choice = parseFilter(v);
      if (!choice) throw new Error("blank filter");
      return choice;
    }),
  };
  if (p.theme !== "") q.themeId = Number(p.theme);
  if (p.coding === "untagged") q.untagged = true;
  if (p.coding === "unconfirmed") q.unconfirmed = true;
  if (p.reviewed !== "") q.reviewed = p.reviewed === "yes";
  if (p.flagged === "yes") q.flagged = true;
  if (p.search.trim() !== "") q.search = p.search;
  if (p.order === "unsure") q.leastSureFirst = true;
  return q;
}

/** The parameters as a query string ("" when none), filters first, then page. */
export function queryString(p: WorkbenchParams, page = 1): string {
  const params = new URLSearchParams(p.filter.map((f) => ["filter", f]));
  for (const key of ["theme", "coding", "reviewed", "flagged", "search", "order"] as const)
    if (p[key] !== "") params.set(key, p[key]);
  if (page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** Whether any filter beyond the group filters is in use (for the page's wording). */
export function narrowed(p: WorkbenchParams): boolean {
  return (
    p.filter.length > 0 ||
    p.theme !== "" ||
    p.coding !== "" ||
    p.reviewed !== "" ||
    p.flagged !== "" ||
    p.search.trim() !== ""
  );
}
