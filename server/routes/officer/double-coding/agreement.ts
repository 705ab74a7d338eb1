import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";

/** The officer-versus-officer figures of these themes, for the workbench, the dashboard and this page. */
export function officerAgreementOf(
  services: Services,
  consultation: ConsultationSummary,
  themes: readonly { id: number; name: string }[],
) {
  const measured = services.doubleCoding.agreement(consultation);
  return {
    compared: measured.compared,
    pending: measured.pending === true,
    themes: themes.flatMap((t) => {
      const a = measured.themes.get(t.id);
      return a ? [{ id: t.id, name: t.name, agreement: a }] : [];
    }),
  };
}
