import { type ConsultationDefinition, parseDefinition } from "../../analysis/definition.js";
import type { Db } from "../../db/connection.js";
import { IMPORT_FIXTURE } from "../fixtures/import-consultation.js";
import { freshCopy } from "./transfer.js";

export const FIXTURE_SLUG = "parks-visits";

export function fixtureDefinition(): ConsultationDefinition {
  const parsed = parseDefinition(IMPORT_FIXTURE);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.definition;
}

/** A database holding only the import fixture consultation. */
export const fixtureDb = (): Db => freshCopy(fixtureDefinition());
