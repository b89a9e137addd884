import { createHash, randomUUID } from "node:crypto";
import type { LedgerRecord } from "../core/ledger.ts";
import { buildMessage } from "../core/mime.ts";
import { renderSummary } from "../core/summary/index.ts";
import { buildSummaryModel, type HealthInput, LOOKBACK_DAYS } from "../core/summary/model.ts";
import { type DueSlot, dueSlot, formatLocal, type SummaryPeriod } from "../core/summary/week.ts";
import type { Settings } from "../schemas/settings.ts";

/**
 * The weekly summary job: every hourly tick, for every account whose send slot has come (in the
 * owner's zone), build the summary from the ledger and send it once.
 *
 * Once per week, whatever the retries: a run claims the account's week with a conditional write
 * (SummaryMarkers) *after* building and *before* sending; only the run that created the marker
 * sends. A send that Google certainly did not act on gives the week back for the next tick; an
 * ambiguous failure (timeout, reset) does not, because the mail may have gone: at most once.
 *
 * Many accounts: accounts are read a page at a time and due ones processed a few at a time,
 * while the invocation has time left (`remainingMs`, `reserveMs`). What is left when time runs
 * short is handed to `continueWith` (wire it to an asynchronous self-invocation or a queue) and,
 * failing that, to the next hourly tick: a slot stays due for `catchUpHours`, and accounts already
 * done cost one GetItem each. Accounts are spread over time zones and send hours, so one tick
 * sees only the accounts whose hour it is.
 */

export interface SummaryAccount {
  accountId: string;
  /** The Google account's own address: the summary goes to it, from it. */
  email: string;
  settings: Settings;
  connection: { state: "connected" } | { state: "disconnected"; reason: string };
  gmailWatchExpiration: string | null;
  calendarChannelExpiration: string | null;
}

export type DraftListing =
  | { ok: true; ids: ReadonlySet<string> }
  | { ok: false; disconnected: boolean; error: string };

export type SendResult =
  | { status: "sent"; id: string }
  /** Google certainly did not send it; `retry` when a later attempt may succeed. */
  | { status: "not_sent"; error: string; retry: boolean; disconnected: boolean }
  /** It may have been sent (a timeout, a reset connection): never sent again. */
  | { status: "unknown"; error: string };

/** One account's ledger and mailbox, as the job needs them. */
export interface AccountGateway {
  /** Every invitation that arrived in [from, to), all pages. */
  listInvitations(range: { from: Date; to: Date }): Promise<LedgerRecord[]>;
  listDraftIds(): Promise<DraftListing>;
  /** `raw` is the whole RFC 5322 message. */
  sendSummary(raw: string): Promise<SendResult>;
}

/** The marker store (functions/adapters/dynamo/summary-markers.ts) as the job uses it. */
export interface MarkerPort {
  get(accountId: string, week: string): Promise<{ status: string } | null>;
  claim(
    accountId: string,
    week: string,
    claim: { token: string; status?: "claimed" | "skipped_empty" },
  ): Promise<boolean>;
  complete(
    accountId: string,
    week: string,
    token: string,
    outcome: { status: "sent"; messageId: string } | { status: "failed"; error: string },
  ): Promise<boolean>;
  release(accountId: string, week: string, token: string): Promise<boolean>;
}

export interface SummaryJobDeps {
  listAccounts(page: {
    cursor?: string;
    limit: number;
  }): Promise<{ items: SummaryAccount[]; cursor: string | null }>;
  markers: MarkerPort;
  openAccount(account: SummaryAccount): Promise<AccountGateway>;
  /** Messages of the account that could not be parsed in the period; 0 when not tracked. */
  parseFailures?(account: SummaryAccount, period: SummaryPeriod): Promise<number>;
  now(): Date;
  /** Milliseconds left in this invocation (Lambda's context.getRemainingTimeInMillis). */
  remainingMs(): number;
  /** Absolute URL of the settings page, or null. */
  settingsUrl: string | null;
  /** Hands the rest of the account list to another invocation. */
  continueWith?(cursor: string | null): Promise<void>;
  newToken?(): string;
  log?(event: Record<string, unknown>): void;
}

export interface SummaryJobOptions {
  /** Where a previous invocation stopped (from `continueWith`). */
  cursor?: string;
  pageSize?: number;
  /** Accounts processed at once. */
  concurrency?: number;
  /** Stop starting new accounts when less than this is left. */
  reserveMs?: number;
  catchUpHours?: number;
}

export type AccountOutcome =
  | { accountId: string; outcome: "paused" | "disconnected"; week: string }
  | { accountId: string; outcome: "already_done" | "lost_race"; week: string }
  | { accountId: string; outcome: "sent"; week: string; messageId: string }
  | { accountId: string; outcome: "skipped_empty"; week: string }
  | { accountId: string; outcome: "failed"; week: string; error: string; willRetry: boolean };

export interface SummaryJobResult {
  /** Accounts read. */
  scanned: number;
  /** Accounts whose slot had come. */
  due: number;
  outcomes: AccountOutcome[];
  /** False when time ran short; then `resumeCursor` (null: from the start) says where to go on. */
  finished: boolean;
  resumeCursor: string | null;
}

const DEFAULTS = { pageSize: 100, concurrency: 4, reserveMs: 60_000, catchUpHours: 3 };

export async function runSummaryJob(
  deps: SummaryJobDeps,
  options: SummaryJobOptions = {},
): Promise<SummaryJobResult> {
  const { pageSize, concurrency, reserveMs, catchUpHours } = { ...DEFAULTS, ...options };
  const result: SummaryJobResult = {
    scanned: 0,
    due: 0,
    outcomes: [],
    finished: true,
    resumeCursor: null,
  };
  let cursor = options.cursor;
  for (;;) {
    if (deps.remainingMs() < reserveMs) return stop(deps, result, cursor);
    const page = await deps.listAccounts({ ...(cursor ? { cursor } : {}), limit: pageSize });
    result.scanned += page.items.length;
    const now = deps.now();
    const due = page.items.flatMap((account) => {
      const slot = dueSlot(now, scheduleOf(account.settings), catchUpHours);
      return slot ? [{ account, slot }] : [];
    });
    result.due += due.length;
    let deferred = false;
    await eachLimited(due, concurrency, async ({ account, slot }) => {
      if (deps.remainingMs() < reserveMs) {
        deferred = true;
        return;
      }
      result.outcomes.push(await summarizeAccount(deps, account, slot));
    });
    // Go on from this page again: the accounts done on it are marked, so they are skipped.
    if (deferred) return stop(deps, result, cursor);
    if (!page.cursor) return result;
    cursor = page.cursor;
  }
}

async function stop(deps: SummaryJobDeps, result: SummaryJobResult, cursor: string | undefined) {
  result.finished = false;
  result.resumeCursor = cursor ?? null;
  deps.log?.({
    event: "summary.deferred",
    cursor: result.resumeCursor,
    done: result.outcomes.length,
  });
  if (deps.continueWith) await deps.continueWith(result.resumeCursor);
  return result;
}

function scheduleOf(settings: Settings) {
  return {
    timeZone: settings.timeZone,
    weekday: settings.summary.weekday,
    hour: settings.summary.hour,
  };
}

/** One account's week: decide, build, claim, send, record. Never throws. */
export async function summarizeAccount(
  deps: SummaryJobDeps,
  account: SummaryAccount,
  due: DueSlot,
): Promise<AccountOutcome> {
  const { accountId } = account;
  const week = due.week;
  const log = (outcome: AccountOutcome) => {
    deps.log?.({ event: "summary.account", ...outcome });
    return outcome;
  };
  if (account.settings.paused) return log({ accountId, outcome: "paused", week });
  if (account.connection.state !== "connected") {
    return log({ accountId, outcome: "disconnected", week });
  }
  let sentId: string | null = null;
  try {
    // Ticks in the catch-up window after the send find the marker with one read.
    if (await deps.markers.get(accountId, week)) {
      return log({ accountId, outcome: "already_done", week });
    }
    const gateway = await deps.openAccount(account);
    const now = deps.now();
    const from = new Date(due.period.end.getTime() - LOOKBACK_DAYS * 86_400_000);
    const to = new Date(Math.max(now.getTime(), due.period.end.getTime()));
    const [records, drafts, parseFailures] = await Promise.all([
      gateway.listInvitations({ from, to }),
      gateway.listDraftIds(),
      deps.parseFailures ? deps.parseFailures(account, due.period) : Promise.resolve(0),
    ]);
    if (!drafts.ok && drafts.disconnected) return log({ accountId, outcome: "disconnected", week });

    const model = buildSummaryModel({
      records,
      period: due.period,
      now,
      owner: { name: account.settings.owner.name, email: account.email },
      frequency: account.settings.frequency,
      gmailDraftIds: drafts.ok ? drafts.ids : null,
      health: healthOf(account, now, parseFailures),
      settingsUrl: deps.settingsUrl,
    });
    const token = deps.newToken?.() ?? randomUUID();

    if (model.empty && !account.settings.summary.sendWhenEmpty) {
      const claimed = await deps.markers.claim(accountId, week, { token, status: "skipped_empty" });
      return log({ accountId, outcome: claimed ? "skipped_empty" : "lost_race", week });
    }

    const rendered = renderSummary(model);
    const raw = await buildMessage({
      from: { name: "Decorum", address: account.email },
      to: account.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      date: now,
      messageId: `decorum-summary.${week}.${digest(accountId)}@${domainOf(account.email)}`,
      // Marks the mail as Decorum's own, so triage never treats the summary as an invitation.
      headers: { "Auto-Submitted": "auto-generated", "X-Decorum-Summary": week },
    });

    if (!(await deps.markers.claim(accountId, week, { token }))) {
      return log({ accountId, outcome: "lost_race", week });
    }
    const sent = await gateway.sendSummary(raw);
    if (sent.status === "sent") {
      sentId = sent.id;
      await deps.markers.complete(accountId, week, token, { status: "sent", messageId: sent.id });
      return log({ accountId, outcome: "sent", week, messageId: sent.id });
    }
    if (sent.status === "not_sent" && sent.retry) {
      await deps.markers.release(accountId, week, token);
      return log({ accountId, outcome: "failed", week, error: sent.error, willRetry: true });
    }
    await deps.markers.complete(accountId, week, token, { status: "failed", error: sent.error });
    if (sent.status === "not_sent" && sent.disconnected) {
      return log({ accountId, outcome: "disconnected", week });
    }
    return log({ accountId, outcome: "failed", week, error: sent.error, willRetry: false });
  } catch (error) {
    // Sent, but the marker could not be completed: it stays "claimed", which is enough to stop
    // a second send.
    if (sentId !== null) return log({ accountId, outcome: "sent", week, messageId: sentId });
    // Otherwise nothing was claimed yet (a read or the build failed): a later tick retries.
    const message = error instanceof Error ? error.message : String(error);
    return log({ accountId, outcome: "failed", week, error: message, willRetry: true });
  }
}

/** What the account item says about the connection, in sentences for the owner. */
export function healthOf(account: SummaryAccount, now: Date, parseFailures: number): HealthInput {
  const zone = account.settings.timeZone;
  const problems: string[] = [];
  const lapsed = (iso: string | null) => iso === null || !(Date.parse(iso) > now.getTime());
  if (lapsed(account.gmailWatchExpiration)) {
    problems.push(
      account.gmailWatchExpiration
        ? `Gmail notifications lapsed on ${formatLocal(new Date(account.gmailWatchExpiration), zone)}: new mail is found only by the periodic sweep, later than usual.`
        : "Gmail notifications are not set up: new mail is found only by the periodic sweep, later than usual.",
    );
  }
  if (lapsed(account.calendarChannelExpiration)) {
    problems.push(
      account.calendarChannelExpiration
        ? `Calendar notifications lapsed on ${formatLocal(new Date(account.calendarChannelExpiration), zone)}: calendar invitations are found only by the periodic sweep.`
        : "Calendar notifications are not set up: calendar invitations are found only by the periodic sweep.",
    );
  }
  return {
    google: account.connection.state === "connected" ? "connected" : "disconnected",
    problems,
    parseFailures,
  };
}

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at > 0 ? address.slice(at + 1) : "localhost";
}
