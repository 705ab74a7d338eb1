import type { OfficerRole } from "../../../services/officers.js";

/** Who may create, build and preview consultations. */
export const BUILDER_ROLES: readonly OfficerRole[] = ["admin", "editor"];
