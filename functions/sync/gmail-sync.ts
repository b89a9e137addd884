import { GoogleError } from "../adapters/google/errors.ts";
import { parseEmail } from "../core/parse/email.ts";
import type { Job } from "../schemas/jobs.ts";
import type { AccountContext } from "./context.ts";
import { triageAndDraft } from "./process.ts";

/**
 * Gmail's side of a sync: everything added to INBOX since the stored historyId, each message
 * fetched once (format raw) and triaged, then the cursor moved to where the listing ended. The
 * cursor moves only after every message is through, so a crash anywhere repeats the listing and
 * the ledger makes the repeat harmless.
 *
 * A historyId Gmail no longer knows (history.list 404, normal after a long pause) and an account
 * never synced are answered with a bounded resync: the cursor is taken from the profile first,
 * then recent INBOX mail is listed with messages.list and triaged (already-recorded invitations
 * are recognised by the ledger). If more mail matched than the bound, the sync says so in its
 * result and log, never silently.
 */

export interface GmailSyncResult {
  type: "gmail-sync";
  status: "up_to_date" | "synced" | "resynced";
  /** Why a resync ran. */
  resyncReason?: "no_cursor" | "cursor_expired";
  listed: number;
  /** More recent mail existed than the resync bound allowed. */
  truncated?: boolean;
  historyId: string | null;
}

/** Never triaged: what the owner wrote or saved, and what is not really in the inbox. */
const NOT_INCOMING = new Set(["SENT", "DRAFT", "SPAM", "TRASH"]);

/** True when `cursor` is at or past `announced`: the push brings nothing new. */
export function covers(cursor: string | null, announced: string | undefined): boolean {
  if (!cursor || !announced) return false;
  return BigInt(cursor) >= BigInt(announced);
}

export async function syncGmail(
  ctx: AccountContext,
  job: Pick<Job, "historyId"> = {},
): Promise<GmailSyncResult> {
  const cursor = ctx.account.gmail.historyId;
  if (covers(cursor, job.historyId)) {
    return { type: "gmail-sync", status: "up_to_date", listed: 0, historyId: cursor };
  }
  if (!cursor) return resync(ctx, "no_cursor");

  const gmail = ctx.google.gmail;
  const ids: string[] = [];
  let latest = cursor;
  try {
    let pageToken: string | undefined;
    do {
      const page = await gmail.listHistory({
        startHistoryId: cursor,
        ...(pageToken ? { pageToken } : {}),
      });
      ids.push(...page.messageIds);
      latest = page.historyId;
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (error) {
    if (error instanceof GoogleError && error.kind === "cursor_expired") {
      return resync(ctx, "cursor_expired");
    }
    throw error;
  }
  const unique = [...new Set(ids)];
  for (const id of unique) await processMessage(ctx, id);
  await saveCursor(ctx, latest);
  return { type: "gmail-sync", status: "synced", listed: unique.length, historyId: latest };
}

async function resync(
  ctx: AccountContext,
  reason: "no_cursor" | "cursor_expired",
): Promise<GmailSyncResult> {
  const gmail = ctx.google.gmail;
  // Taken before listing: mail arriving during the resync is then also in the next history.
  const { historyId } = await gmail.getProfile();
  const { days, maxMessages } = ctx.resync;
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await gmail.listMessages({
      query: `in:inbox -in:sent newer_than:${days}d`,
      maxResults: Math.min(500, maxMessages - ids.length),
      ...(pageToken ? { pageToken } : {}),
    });
    ids.push(...page.ids);
    pageToken = page.nextPageToken;
  } while (pageToken && ids.length < maxMessages);
  const truncated = pageToken !== undefined;
  ctx.log({
    event: "gmail.resync",
    accountId: ctx.account.accountId,
    reason,
    listed: ids.length,
    truncated,
    days,
  });
  // messages.list is newest first; frequency counts want the oldest first.
  for (const id of [...new Set(ids)].reverse()) await processMessage(ctx, id);
  await saveCursor(ctx, historyId);
  return {
    type: "gmail-sync",
    status: "resynced",
    resyncReason: reason,
    listed: ids.length,
    truncated,
    historyId,
  };
}

async function saveCursor(ctx: AccountContext, historyId: string): Promise<void> {
  await ctx.step("before-cursor");
  await ctx.accounts.advanceHistoryId(ctx.account.accountId, historyId);
  await ctx.step("cursor-saved");
}

async function processMessage(ctx: AccountContext, id: string): Promise<void> {
  const source = `gmail:${id}`;
  let fetched: Awaited<ReturnType<AccountContext["google"]["gmail"]["getRawMessage"]>>;
  try {
    fetched = await ctx.google.gmail.getRawMessage(id);
  } catch (error) {
    // Deleted between the listing and now: nothing to answer.
    if (error instanceof GoogleError && error.kind === "not_found") {
      ctx.processed({ source, outcome: { kind: "skipped", why: "gone" } });
      return;
    }
    throw error;
  }
  await ctx.step("fetched", source);
  if (fetched.labelIds.some((label) => NOT_INCOMING.has(label))) {
    ctx.processed({ source, outcome: { kind: "skipped", why: "sent_or_draft" } });
    return;
  }
  let message: Awaited<ReturnType<typeof parseEmail>>;
  try {
    message = await parseEmail(fetched.raw, source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.log({
      event: "gmail.unparseable",
      accountId: ctx.account.accountId,
      source,
      error: reason,
    });
    await ctx.recordParseFailure({ source, at: fetched.internalDate, error: reason });
    ctx.processed({ source, outcome: { kind: "skipped", why: "unparseable" } });
    return;
  }
  const from = message.from?.address ?? "";
  if (ctx.ownAddresses.includes(from)) {
    ctx.processed({ source, outcome: { kind: "skipped", why: "own_mail" } });
    return;
  }
  // The weekly summary marks itself; it may reach the inbox from an address we do not know.
  if (message.headers["x-decorum-summary"] !== undefined) {
    ctx.processed({ source, outcome: { kind: "skipped", why: "summary" } });
    return;
  }
  message.gmail = { id: fetched.id, threadId: fetched.threadId, labelIds: fetched.labelIds };
  await triageAndDraft(ctx, message);
}
