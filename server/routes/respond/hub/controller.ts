import type { Request, Response } from "express";
import type { Services } from "../../../services/index.js";

export function hub(services: Services) {
  return (_req: Request, res: Response) => {
    res.render("respond/hub", { title: "Consultations", groups: services.consultations.hub() });
  };
}
