import type { Request, Response } from "express";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { BUILDER_ROLES } from "../builder/roles.js";

/**
 * The officer home page: every consultation, open first, with its status, dates and responses (all
 * and the last seven days), each linking to its results; builders also get "Create a consultation".
 */
export function home(services: Services) {
  return (_req: Request, res: Response) => {
    const role = currentOfficer(res)?.role;
    res.render("officer/home", {
      title: "Consultations",
      consultations: services.consultations.overview(),
      canBuild: role !== undefined && BUILDER_ROLES.includes(role),
      // Admins are told of e-mail to residents that was given up, and where to retry it.
      failedMail: role === "admin" ? services.mail.abandonedCount() : 0,
    });
  };
}
