import type { ConsultationService } from "./consultations.js";
import type { ResponseService } from "./responses.js";

/** Every capability the routes may use; routes never open the database themselves. */
export interface Services {
  consultations: ConsultationService;
  responses: ResponseService;
}
