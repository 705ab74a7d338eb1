import type { Request, Response } from "express";
import { DefinitionChangeRefusedError } from "../../../../db/consultations.js";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { Actor } from "../../../services/audit.js";
import { LifecycleError } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import {
  checkExtend,
  checkReason,
  closeSchema,
  confirmSchema,
  extendSchema,
  type FieldError,
} from "./schema.js";

const path = (slug: string) => `/officer/consultations/${slug}/manage`;

function consultationOr404(services: Services, req: Request) {
  const c = services.consultations.find(String(req.params.slug ?? ""));
  if (!c) throw new HttpError(404, "No such consultation");
  return c;
}

function actorOf(res: Response): Actor {
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in first");
  return { id: officer.id, email: officer.email };
}

type Values = Record<string, string>;

function render(
  res: Response,
  services: Services,
  req: Request,
  status: number,
  values: Values,
  errors: FieldError[],
) {
  const c = consultationOr404(services, req);
  const done = typeof req.query.done === "string" ? req.query.done : undefined;
  res.status(status).render("officer/manage", {
    title: `Manage ${c.title}`,
    consultation: c,
    versions: services.consultations.versions(c.id).slice(0, 20),
    values,
    errors,
    done: done && DONE[done] ? DONE[done] : undefined,
  });
}

const DONE: Record<string, string> = {
  extended: "The closing date has been extended.",
  closed: "The consultation has been closed.",
  published: "The consultation has been published.",
  "results-published": "The results have been published.",
  archived: "The consultation has been archived.",
  unarchived: "The consultation is back from the archive.",
};

export function showManage(services: Services) {
  return (req: Request, res: Response) => render(res, services, req, 200, {}, []);
}

/** Run one lifecycle change; a change that does not fit where it is shows why, beside the form. */
function attempt(
  res: Response,
  services: Services,
  req: Request,
  values: Values,
  field: string,
  act: () => void,
  done: string,
) {
  try {
    act();
  } catch (err) {
    if (err instanceof LifecycleError || err instanceof DefinitionChangeRefusedError)
      return render(res, services, req, 409, values, [
        {
          field,
          text:
            err instanceof DefinitionChangeRefusedError
              ? (err.problems[0]?.message ?? err.message)
              : err.message,
        },
      ]);
    throw err;
  }
  res.redirect(303, `${path(String(req.params.slug))}?done=${done}`);
}

export function extendClosing(services: Services) {
  return (req: Request, res: Response) => {
    const form = extendSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const { _csrf, ...values } = form.data;
    const checked = checkExtend(form.data);
    if (!checked.closes) return render(res, services, req, 400, values, checked.errors);
    const closes = checked.closes;
    attempt(
      res,
      services,
      req,
      values,
      "closes-day",
      () => {
        services.consultations.extend(String(req.params.slug), closes, checked.reason, actorOf(res));
      },
      "extended",
    );
  };
}

export function closeEarly(services: Services) {
  return (req: Request, res: Response) => {
    const form = closeSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const values = { "close-reason": form.data.reason };
    const errors = checkReason(form.data.reason, "closing it early").map((e) => ({
      ...e,
      field: "close-reason",
    }));
    if (errors.length > 0) return render(res, services, req, 400, values, errors);
    attempt(
      res,
      services,
      req,
      values,
      "close-reason",
      () => {
        services.consultations.closeEarly(String(req.params.slug), form.data.reason.trim(), actorOf(res));
      },
      "closed",
    );
  };
}

/** The one-button changes: publish, publish results, archive, bring back. */
export function stageAction(
  services: Services,
  action: "publish" | "publishResults" | "archive" | "unarchive",
  done: string,
) {
  return (req: Request, res: Response) => {
    if (!confirmSchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    attempt(
      res,
      services,
      req,
      {},
      `${done}-button`,
      () => {
        services.consultations[action](String(req.params.slug), actorOf(res));
      },
      done,
    );
  };
}
