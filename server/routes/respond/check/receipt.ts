import type { AnswerSet } from "../../../../analysis/answers.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import { summarySections } from "./view-model.js";

/**
 * The receipt e-mailed after submitting: the reference and a copy of the answers, in the words and
 * order of the check page (the same view model), as plain text.
 */
export function receiptText(
  consultation: ConsultationSummary,
  answers: AnswerSet,
  reference: string,
  sentAt: string,
): string {
  const lines = [
    `Thank you for responding to "${consultation.title}" (${consultation.definition.council}).`,
    "",
    `Your reference: ${reference}`,
    `Sent: ${sentAt}`,
    "",
    "Keep this email. Quote your reference if you contact us about your response.",
    "",
    "Your answers",
    "============",
  ];
  for (const section of summarySections(consultation.definition, answers, "")) {
    lines.push("", section.title, "-".repeat(Math.min(section.title.length, 70)));
    for (const group of section.groups) {
      if (group.title) lines.push(group.title);
      for (const row of group.rows)
        lines.push(`${group.title ? "  " : ""}${row.key.text}: ${row.value.text}`);
    }
  }
  lines.push(
    "",
    "We use this email address only to send you this receipt, and delete it once the receipt is sent.",
  );
  return lines.join("\n");
}
