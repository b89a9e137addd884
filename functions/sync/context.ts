import type { CompiledRulebook } from "../../rules/engine.ts";
import type { Account, AccountStore } from "../adapters/dynamo/accounts.ts";
import type { ParseFailureEntry } from "../adapters/dynamo/parse-failures.ts";
import type { CalendarPort, GmailPort } from "../adapters/google/ports.ts";
import type { Ledger } from "../core/ledger.ts";
import type { Action, Category } from "../core/vocabulary.ts";
import type { JobType } from "../schemas/jobs.ts";
import type { Settings } from "../schemas/settings.ts";
import type { LabelCache } from "./labels.ts";

/**
 * The points of processing a step hook can observe (and a test can fail at), in order for one
 * message: fetched → recorded → claimed → drafted → draft-recorded → labelled; for a sync:
 * before-cursor → cursor-saved.
 */
export const SYNC_STEPS = [
  "fetched",
  "recorded",
  "claimed",
  "drafted",
  "draft-recorded",
  "labelled",
  "before-cursor",
  "cursor-saved",
] as const;
export type SyncStep = (typeof SYNC_STEPS)[number];

export interface StepDetail {
  accountId: string;
  type: JobType;
  /** The message or event being processed ("gmail:<id>", "calendar:<id>"); absent for cursor steps. */
  source?: string;
}

/** Called after each step; a throw there is a crash at that point (the job fails and is retried). */
export type AfterStep = (step: SyncStep, detail: StepDetail) => void | Promise<void>;

/** What became of one message or event: for logs, tests and the bench. */
export interface ProcessedEvent {
  accountId: string;
  type: JobType;
  source: string;
  outcome:
    | { kind: "skipped"; why: SkipReason }
    | {
        kind: "triaged";
        key: string | null;
        recorded: "new" | "existing" | "not_recorded";
        category: Category;
        action: Action;
        draft: DraftStatus;
      };
  at: Date;
}

export type SkipReason =
  | "gone"
  | "own_mail"
  | "summary"
  | "sent_or_draft"
  | "unparseable"
  | "not_an_invitation_to_owner"
  | "past";

export type DraftStatus = "none" | "dry_run" | "created" | "found" | "already" | "impossible";

/** A ledger that can claim a draft (decided → drafting) with a conditional write. */
export interface DraftLedger extends Ledger {
  claimDraft(key: string): Promise<boolean>;
}

export interface GoogleClients {
  gmail: GmailPort;
  calendar: CalendarPort;
}

export type SyncAccounts = Pick<
  AccountStore,
  | "getAccount"
  | "getRefreshToken"
  | "setRefreshToken"
  | "setConnection"
  | "advanceHistoryId"
  | "setCalendarSyncToken"
>;

/** Everything one sync of one account uses. */
export interface AccountContext {
  type: JobType;
  account: Account;
  /** The account's settings with the owner's address filled in from the account when unset. */
  settings: Settings;
  /** The owner's own addresses: never triaged as senders, never replied to. */
  ownAddresses: string[];
  accounts: SyncAccounts;
  ledger: DraftLedger;
  google: GoogleClients;
  labels: LabelCache;
  rulebook?: CompiledRulebook;
  now: () => Date;
  /** Lease heartbeat, then the step hook. */
  step: (step: SyncStep, source?: string) => Promise<void>;
  processed: (event: Omit<ProcessedEvent, "accountId" | "type" | "at">) => void;
  log: (event: Record<string, unknown>) => void;
  /** Records a message that could not be read (the summary's account health counts them). */
  recordParseFailure: (failure: ParseFailureEntry) => Promise<void>;
  resync: { days: number; maxMessages: number };
}
