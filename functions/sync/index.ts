export { calendarEventMessage, eventUid, isOwnerInvitation, isUpcoming } from "./calendar-event.ts";
export { type CalendarSyncResult, syncCalendar } from "./calendar-sync.ts";
export { ConfigError, type SyncConfig, syncConfig } from "./config.ts";
export {
  type AccountContext,
  type AfterStep,
  type DraftLedger,
  type DraftStatus,
  type GoogleClients,
  type ProcessedEvent,
  type SkipReason,
  type StepDetail,
  SYNC_STEPS,
  type SyncAccounts,
  type SyncStep,
} from "./context.ts";
export { type DraftResult, ensureDraft, findOwnDraft, recomposeDraft } from "./drafts.ts";
export { covers, type GmailSyncResult, syncGmail } from "./gmail-sync.ts";
export { LABELS, LabelCache, type LabelName, labelFor, labelMessage } from "./labels.ts";
export {
  type HeldLease,
  LeaseLost,
  type LeaseOutcome,
  LeaseStore,
  type LeaseStoreOptions,
  withAccountLease,
} from "./lease.ts";
export { createLocalSync, type LocalSync, type LocalSyncOptions } from "./local.ts";
export { enqueuePeriodicSyncs } from "./periodic.ts";
export {
  type CalendarRoute,
  channelTokenMatches,
  hashChannelToken,
  PushDirectory,
} from "./push-directory.ts";
export {
  createWatchService,
  NotConnected,
  type RenewReport,
  type WatchDeps,
  type WatchService,
  type WatchState,
} from "./watch.ts";
export { createSyncServices, type SyncServices, type SyncWiring } from "./wiring.ts";
export {
  type JobOutcome,
  runJob,
  type SkipJobReason,
  type SyncDeps,
  type SyncResult,
} from "./worker.ts";
