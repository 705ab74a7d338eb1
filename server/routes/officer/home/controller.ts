import type { Request, Response } from "express";
import type { Services } from "../../../services/index.js";

/** The officer home page: every consultation, open first, each linking to its results. */
export function home(services: Services) {
  return (_req: Request, res: Response) => {
    const { open, upcoming, closed } = services.consultations.hub();
    res.render("officer/home", { title: "Consultations", consultations: [...open, ...upcoming, ...closed] });
  };
}
