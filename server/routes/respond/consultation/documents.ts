import type { Request, Response } from "express";
import { proposalsHtml } from "../../../markdown.js";
import type { Services } from "../../../services/index.js";
import { publicConsultationOr404 } from "../context.js";

/**
 * The proposals in brief, readable without starting a response: the information pages of the
 * questionnaire (such as a summary of the proposals shown between the before and after statements), or,
 * where a consultation has none, the introductions of its pages.
 */
export function showDocuments(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    const pages = consultation.definition.pages.filter((p) => p.content.length > 0);
    const information = pages.filter((p) => p.questions.length === 0);
    res.render("respond/documents", {
      title: `About the proposals: ${consultation.title}`,
      consultation,
      proposals: proposalsHtml(consultation.definition),
      sections: (information.length > 0 ? information : pages).map((p) => ({
        title: p.title,
        paragraphs: p.content,
      })),
    });
  };
}
