import type { AccountService } from "./accounts.js";
import type { AuditService } from "./audit.js";
import type { CommentInsightService } from "./comment-insights.js";
import type { ConsultationFileService } from "./consultation-files.js";
import type { ConsultationService } from "./consultations.js";
import type { DoubleCodingService } from "./double-coding.js";
import type { MailService } from "./mail.js";
import type { ModerationService } from "./moderation.js";
import type { OfficerService } from "./officers.js";
import type { ReportService } from "./report.js";
import type { ResponseRecordService } from "./response-records.js";
import type { ResponseTransferService } from "./response-transfer.js";
import type { ResponseService } from "./responses.js";
import type { ResultsService } from "./results.js";
import type { RetentionService } from "./retention.js";
import type { SaveReturnService } from "./save-return.js";
import type { ThemeSuggestionService } from "./theme-suggestions.js";
import type { ThemeService } from "./themes.js";
import type { TwoFactorService } from "./two-factor.js";

/** Every capability the routes may use; routes never open the database themselves. */
export interface Services {
  consultations: ConsultationService;
  responses: ResponseService;
  officers: OfficerService;
  results: ResultsService;
  report: ReportService;
  /** Raw responses exported and imported as CSV. */
  transfer: ResponseTransferService;
  /** Comment themes: the codebook, the coding workbench and the theme results. */
  themes: ThemeService;
  /** Documents (PDFs) uploaded with the builder. */
  files: ConsultationFileService;
  /** Theme suggestions learned from the officers' coding, and how far they agree with it. */
  suggestions: ThemeSuggestionService;
  /** Campaigns of near-identical comments, theme discovery and stance (issue 13 items 4-6). */
  insights: CommentInsightService;
  /** Double-coded samples: a second officer codes comments blind, for officer-versus-officer agreement. */
  doubleCoding: DoubleCodingService;
  /** Deleting what the privacy notice says goes, when it says so. */
  retention: RetentionService;
  /** Redaction and officers' approval of every comment before a public page quotes it. */
  moderation: ModerationService;
  /** Officers finding, reading and withdrawing a response by its reference. */
  records: ResponseRecordService;
  /** Admins' changes to accounts, set-up links, and officers' own passwords. */
  accounts: AccountService;
  /** The officers' append-only audit trail. */
  audit: AuditService;
  /** E-mail through a queue in the database (save-and-return links, receipts). */
  mail: MailService;
  /** "Save and come back later": one-time codes for drafts. */
  saveReturn: SaveReturnService;
  /** Optional TOTP two-factor sign-in, its recovery codes and half-done sign-ins. */
  twoFactor: TwoFactorService;
}
