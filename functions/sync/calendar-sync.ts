import { GoogleError } from "../adapters/google/errors.ts";
import type { CalendarApiEvent } from "../adapters/google/schemas.ts";
import { calendarEventMessage, isOwnerInvitation, isUpcoming } from "./calendar-event.ts";
import type { AccountContext } from "./context.ts";
import { triageAndDraft } from "./process.ts";

/**
 * Calendar's side of a sync: the primary calendar's changes since the stored syncToken (all of
 * it on the first sync, or after Google answered 410 for an expired token: the token is cleared
 * first, so a crash mid-way cannot resurrect it). Invitations the owner has not answered are
 * triaged from their structured fields; the ledger key is the event's iCalUID, so the emailed
 * copy of the same invitation is the same invitation. The new token is stored compare-and-set
 * after every event is through.
 */

export interface CalendarSyncResult {
  type: "calendar-sync";
  status: "synced" | "full_sync";
  /** Why a full sync ran. */
  fullReason?: "no_token" | "token_expired";
  listed: number;
  invitations: number;
  tokenSaved: boolean;
}

interface Listing {
  events: CalendarApiEvent[];
  nextSyncToken: string | null;
}

async function listAll(ctx: AccountContext, syncToken: string | null): Promise<Listing> {
  const events: CalendarApiEvent[] = [];
  let pageToken: string | undefined;
  let nextSyncToken: string | null = null;
  do {
    const page = await ctx.google.calendar.listEvents({
      ...(syncToken ? { syncToken } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    events.push(...page.events);
    pageToken = page.nextPageToken;
    nextSyncToken = page.nextSyncToken ?? nextSyncToken;
  } while (pageToken);
  return { events, nextSyncToken };
}

export async function syncCalendar(ctx: AccountContext): Promise<CalendarSyncResult> {
  const { accountId } = ctx.account;
  let version = ctx.account.calendar.syncVersion;
  const stored = ctx.account.calendar.syncToken;
  let fullReason: CalendarSyncResult["fullReason"] = stored ? undefined : "no_token";
  let listing: Listing;
  try {
    listing = await listAll(ctx, stored);
  } catch (error) {
    if (!(error instanceof GoogleError && error.kind === "gone")) throw error;
    const cleared = await ctx.accounts.setCalendarSyncToken(accountId, {
      syncToken: null,
      expectedVersion: version,
    });
    version = cleared.version;
    fullReason = "token_expired";
    ctx.log({ event: "calendar.full_sync", accountId, reason: fullReason });
    listing = await listAll(ctx, null);
  }

  let invitations = 0;
  const now = ctx.now();
  for (const event of listing.events) {
    const source = `calendar:${event.id}`;
    if (!isOwnerInvitation(event, ctx.ownAddresses)) continue;
    if (!isUpcoming(event, now)) {
      ctx.processed({ source, outcome: { kind: "skipped", why: "past" } });
      continue;
    }
    const message = calendarEventMessage(event, now);
    if (!message) continue;
    invitations++;
    await triageAndDraft(ctx, message);
  }

  await ctx.step("before-cursor");
  let tokenSaved = false;
  if (listing.nextSyncToken) {
    const saved = await ctx.accounts.setCalendarSyncToken(accountId, {
      syncToken: listing.nextSyncToken,
      expectedVersion: version,
    });
    tokenSaved = saved.updated;
    if (!saved.updated) {
      ctx.log({ event: "calendar.token_race", accountId, expected: version, found: saved.version });
    }
  }
  await ctx.step("cursor-saved");
  return {
    type: "calendar-sync",
    status: fullReason ? "full_sync" : "synced",
    ...(fullReason ? { fullReason } : {}),
    listed: listing.events.length,
    invitations,
    tokenSaved,
  };
}
