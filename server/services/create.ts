import { AuditRepository } from "../../db/audit.js";
import { CommentInsightRepository } from "../../db/comment-insights.js";
import type { Db } from "../../db/connection.js";
import { ConsultationFileRepository } from "../../db/consultation-files.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { DoubleCodingRepository } from "../../db/double-coding.js";
import { MailQueueRepository } from "../../db/mail-queue.js";
import { ModerationRepository } from "../../db/moderation.js";
import { OfficerAccounts, OfficerRepository } from "../../db/officers.js";
import { ResponseRecords } from "../../db/response-records.js";
import { ResponseRepository } from "../../db/responses.js";
import { ResultsRepository } from "../../db/results.js";
import { ResumeCodeRepository } from "../../db/resume-codes.js";
import { RetentionRepository } from "../../db/retention.js";
import { SessionRepository } from "../../db/sessions.js";
import { storedSecret } from "../../db/settings.js";
import { TagRepository } from "../../db/tags.js";
import { ThemeModelRepository } from "../../db/theme-models.js";
import { ThemeRepository } from "../../db/themes.js";
import { TwoFactorRepository } from "../../db/two-factor.js";
import { WeDidRepository } from "../../db/we-did.js";
import type { Config } from "../config.js";
import { AccountService } from "./accounts.js";
import { AuditService } from "./audit.js";
import { CommentInsightService } from "./comment-insights.js";
import { ConsultationFileService } from "./consultation-files.js";
import { ConsultationService } from "./consultations.js";
import { DoubleCodingService } from "./double-coding.js";
import type { Services } from "./index.js";
import { MailService, smtpTransport } from "./mail.js";
import { ModerationService } from "./moderation.js";
import { DEFAULT_SESSION_POLICY, OfficerService, passwordGate } from "./officers.js";
import { ReportService } from "./report.js";
import { ResponseRecordService } from "./response-records.js";
import { ResponseTransferService } from "./response-transfer.js";
import { ResponseService } from "./responses.js";
import { ResultsService } from "./results.js";
import { RetentionService } from "./retention.js";
import { SaveReturnService } from "./save-return.js";
import { ThemeSuggestionService } from "./theme-suggestions.js";
import { ThemeService } from "./themes.js";
import { TwoFactorService } from "./two-factor.js";

/**
 * The one service graph over a database, for the server (server/main.ts, createApp) and the analyst
 * CLI (server/cli/context.ts) alike, so both count, export and report through the same code.
 */
export function createServices(
  db: Db,
  clock: () => Date,
  config: Pick<Config, "sessionIdleMinutes"> &
    Partial<Pick<Config, "smtpUrl" | "mailFrom" | "secret" | "council">> = {
    sessionIdleMinutes: DEFAULT_SESSION_POLICY.idleMinutes,
  },
): Services {
  const consultations = new ConsultationRepository(db);
  const audit = new AuditService(new AuditRepository(db), clock);
  // One queue for every argon2id hash, so sign-ins and password changes share the cores fairly.
  const argon2 = passwordGate();
  const officerRepo = new OfficerRepository(db);
  // One results service: the dashboard, summary export and report share its answers in memory.
  const results = new ResultsService(new ResultsRepository(db), consultations);
  const themeRepository = new ThemeRepository(db);
  const tagRepository = new TagRepository(db);
  const themeModels = new ThemeModelRepository(db);
  const themes = new ThemeService(themeRepository, tagRepository, consultations, results, clock, themeModels);
  const insights = new CommentInsightService(
    new CommentInsightRepository(db),
    consultations,
    results,
    themes,
    clock,
  );
  themes.countCampaignsWith({
    copies: (id) => insights.campaignCopies(id),
    counting: (id) => insights.countingOf(id),
    stances: (row) =>
      new Map(
        insights
          .themeStance(row)
          .map((q) => [q.question.id, new Map(q.themes.map((t) => [t.themeId, t.counts]))] as const),
      ),
    members: (row, itemId) => insights.membersOf(row, itemId),
  });
  const doubleCoding = new DoubleCodingService(
    new DoubleCodingRepository(db),
    themeRepository,
    themes,
    consultations,
    results,
    clock,
  );
  // The report's method note states the officers' agreement with each other beside the model's.
  themes.measureOfficersWith((row) => doubleCoding.agreement(row));
  const moderation = new ModerationService(new ModerationRepository(db), consultations, clock);
  const responses = new ResponseRepository(db);
  return {
    consultations: new ConsultationService(consultations, clock, audit),
    files: new ConsultationFileService(new ConsultationFileRepository(db), clock),
    audit,
    insights,
    doubleCoding,
    responses: new ResponseService(responses, consultations, clock),
    results,
    report: new ReportService(results, new WeDidRepository(db), clock, themes, moderation),
    transfer: new ResponseTransferService(db, consultations, clock),
    officers: new OfficerService(
      officerRepo,
      new SessionRepository(db),
      clock,
      { ...DEFAULT_SESSION_POLICY, idleMinutes: config.sessionIdleMinutes },
      argon2,
    ),
    records: new ResponseRecordService(new ResponseRecords(db), audit, clock),
    accounts: new AccountService(officerRepo, new OfficerAccounts(db), audit, argon2, clock),
    themes,
    suggestions: new ThemeSuggestionService(
      themeModels,
      themeRepository,
      tagRepository,
      consultations,
      clock,
    ),
    retention: new RetentionService(new RetentionRepository(db), clock),
    moderation,
    mail: new MailService(
      new MailQueueRepository(db),
      config.smtpUrl ? smtpTransport(config.smtpUrl) : undefined,
      clock,
      config.mailFrom ?? "consultations@example.gov.uk",
      audit,
    ),
    saveReturn: new SaveReturnService(new ResumeCodeRepository(db), responses, clock),
    // Keyed from the same secret as cookies (SOUNDING_SECRET, or the one kept in the database).
    twoFactor: new TwoFactorService(
      new TwoFactorRepository(db),
      audit,
      clock,
      config.secret ?? storedSecret(db),
      config.council ? `Sounding (${config.council})` : "Sounding",
    ),
  };
}
