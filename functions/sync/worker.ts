import type { CompiledRulebook } from "../../rules/engine.ts";
import type { Account } from "../adapters/dynamo/accounts.ts";
import type { ParseFailureEntry } from "../adapters/dynamo/parse-failures.ts";
import { isDisconnected } from "../adapters/google/errors.ts";
import type { Job, JobType } from "../schemas/jobs.ts";
import { type CalendarSyncResult, syncCalendar } from "./calendar-sync.ts";
import type {
  AccountContext,
  AfterStep,
  DraftLedger,
  GoogleClients,
  ProcessedEvent,
  SyncAccounts,
} from "./context.ts";
import { covers, type GmailSyncResult, syncGmail } from "./gmail-sync.ts";
import { LabelCache } from "./labels.ts";
import { type LeaseStore, withAccountLease } from "./lease.ts";

/**
 * The queue worker: one job in, the account's Gmail or Calendar synced. The same function runs
 * behind SQS (functions/handlers/worker.ts) and behind the local server's in-process queue.
 */

export interface SyncDeps {
  accounts: SyncAccounts;
  lease: LeaseStore;
  ledgerFor(account: Account): DraftLedger;
  /** The account's Google ports, built with its refresh token. */
  googleFor(account: Account, refreshToken: string): GoogleClients;
  /** A label cache per account, kept across jobs by a warm worker. Default: one per job. */
  labelsFor?(accountId: string): LabelCache;
  now?: () => Date;
  /** Test hook: called after each step; throwing there is a crash at that point. */
  afterStep?: AfterStep;
  /** Told what became of every message and event. */
  onProcessed?: (event: ProcessedEvent) => void;
  log?: (event: Record<string, unknown>) => void;
  /** The bounded resync after a lost Gmail cursor. Default: 3 days, at most 200 messages. */
  resync?: { days?: number; maxMessages?: number };
  rulebook?: CompiledRulebook;
  /** Where messages that could not be read are recorded, for the weekly summary. */
  parseFailures?: { record(accountId: string, failure: ParseFailureEntry): Promise<void> };
}

export type SyncResult = GmailSyncResult | CalendarSyncResult;

export type JobOutcome =
  | { status: "done"; results: SyncResult[] }
  /** Another sync of this account was running; it was asked to run this one too. */
  | { status: "deferred" }
  | { status: "skipped"; reason: SkipJobReason };

export type SkipJobReason = "no_account" | "paused" | "disconnected" | "up_to_date";

function inactive(account: Account): SkipJobReason | null {
  if (account.connection.state !== "connected" || !account.hasRefreshToken) return "disconnected";
  if (account.settings.paused) return "paused";
  return null;
}

/**
 * Runs one job. Resolves when the work is done, deferred to the running sync, or not due (no
 * account, paused, disconnected, nothing new); throws when it should be received again. A
 * refresh token Google no longer accepts marks the account disconnected and resolves: retrying
 * cannot help until the owner reconnects.
 */
export async function runJob(job: Job, deps: SyncDeps): Promise<JobOutcome> {
  const log = deps.log ?? (() => {});
  const first = await deps.accounts.getAccount(job.accountId);
  if (!first) return { status: "skipped", reason: "no_account" };
  const skip = inactive(first);
  if (skip) return { status: "skipped", reason: skip };
  // Checked before taking the lease: a duplicate push then costs one read.
  if (job.type === "gmail-sync" && covers(first.gmail.historyId, job.historyId)) {
    return { status: "skipped", reason: "up_to_date" };
  }

  const results: SyncResult[] = [];
  // Set inside the lease when a later read finds the account no longer due.
  const halt: { reason: SkipJobReason | null; ranOwn: boolean } = { reason: null, ranOwn: false };
  try {
    const outcome = await withAccountLease(
      deps.lease,
      job.accountId,
      job.type,
      async (type, lease) => {
        if (halt.reason) return;
        // Read under the lease: the cursors may have moved while we waited for it.
        const account = await deps.accounts.getAccount(job.accountId);
        const why = account ? inactive(account) : "no_account";
        if (!account || why) {
          halt.reason = why ?? "no_account";
          return;
        }
        const refreshToken = await deps.accounts.getRefreshToken(account.accountId);
        if (!refreshToken) {
          halt.reason = "disconnected";
          return;
        }
        const ctx = contextFor(account, type, deps, refreshToken, async () => lease.heartbeat());
        // Only the job's own first run may stop at its historyId: a rerun was asked for by a
        // later push whose historyId this job does not know.
        const announced = type === job.type && !halt.ranOwn ? job : {};
        if (type === job.type) halt.ranOwn = true;
        results.push(
          type === "gmail-sync" ? await syncGmail(ctx, announced) : await syncCalendar(ctx),
        );
      },
    );
    if (outcome === "deferred") return { status: "deferred" };
  } catch (error) {
    if (!isDisconnected(error)) throw error;
    await deps.accounts.setConnection(job.accountId, {
      state: "disconnected",
      reason: error.message,
      forgetToken: true,
    });
    log({ event: "sync.disconnected", accountId: job.accountId, type: job.type });
    return { status: "skipped", reason: "disconnected" };
  }
  if (halt.reason && results.length === 0) return { status: "skipped", reason: halt.reason };
  return { status: "done", results };
}

function contextFor(
  account: Account,
  type: JobType,
  deps: SyncDeps,
  refreshToken: string,
  heartbeat: () => Promise<void>,
): AccountContext {
  const ownAddresses = [
    ...new Set(
      [account.email, account.settings.owner.email]
        .filter((address): address is string => typeof address === "string")
        .map((address) => address.toLowerCase()),
    ),
  ];
  const settings = account.settings.owner.email
    ? account.settings
    : { ...account.settings, owner: { ...account.settings.owner, email: account.email } };
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  return {
    type,
    account,
    settings,
    ownAddresses,
    accounts: deps.accounts,
    ledger: deps.ledgerFor(account),
    google: deps.googleFor(account, refreshToken),
    labels: deps.labelsFor?.(account.accountId) ?? new LabelCache(),
    ...(deps.rulebook ? { rulebook: deps.rulebook } : {}),
    now,
    async step(step, source) {
      await heartbeat();
      await deps.afterStep?.(step, {
        accountId: account.accountId,
        type,
        ...(source ? { source } : {}),
      });
    },
    processed(event) {
      deps.onProcessed?.({ ...event, accountId: account.accountId, type, at: now() });
    },
    log,
    async recordParseFailure(failure) {
      await deps.parseFailures?.record(account.accountId, failure);
    },
    resync: { days: deps.resync?.days ?? 3, maxMessages: deps.resync?.maxMessages ?? 200 },
  };
}
