import { randomBytes } from "node:crypto";
import type { Account, AccountStore } from "../adapters/dynamo/accounts.ts";
import { isDisconnected } from "../adapters/google/errors.ts";
import type { JobQueue } from "../adapters/queue/port.ts";
import type { Job } from "../schemas/jobs.ts";
import type { GoogleClients } from "./context.ts";
import type { PushDirectory } from "./push-directory.ts";

/**
 * Keeping Google's pushes coming: the Gmail users.watch registration (7 days at most, renewed
 * daily) and the Calendar channel (no renewal: a new channel with a new id before the old one
 * expires, then the old one stopped; pushes from both may overlap and are harmless). Used by the
 * settings page on connect and disconnect, and by the daily renew cron.
 */

export interface WatchDeps {
  accounts: Pick<
    AccountStore,
    | "getAccount"
    | "listAccounts"
    | "getRefreshToken"
    | "setGmailWatch"
    | "setCalendarChannel"
    | "setConnection"
  >;
  directory: Pick<
    PushDirectory,
    "putGmailRoute" | "deleteGmailRoute" | "putCalendarRoute" | "deleteCalendarRoute"
  >;
  googleFor(account: Account, refreshToken: string): GoogleClients;
  /** Where connect puts the first syncs. */
  queue?: JobQueue;
  /** DECORUM_PUBSUB_TOPIC: projects/P/topics/T, in the project of the OAuth client. */
  topicName: string;
  /** The public URL of POST /push/calendar (HTTPS on Google). */
  calendarAddress: string;
  /** Requested channel lifetime; Google caps it (a week for events). Default 7 days. */
  channelTtlSeconds?: number;
  /** Renew a Gmail watch expiring within this. Default 6 days: the daily cron renews each day. */
  gmailRenewWithinMs?: number;
  /** Replace a channel expiring within this. Default 2 days. */
  channelRenewWithinMs?: number;
  now?: () => Date;
  randomId?: () => string;
  log?: (event: Record<string, unknown>) => void;
}

export interface WatchState {
  gmail: { expiration: Date };
  calendar: { channelId: string; expiration: Date };
}

export interface RenewReport {
  checked: number;
  gmailRenewed: number;
  channelsRenewed: number;
  disconnected: string[];
  failed: Array<{ accountId: string; error: string }>;
}

export interface WatchService {
  /**
   * After sign-in stored the refresh token: starts the Gmail watch and a Calendar channel and
   * queues the first syncs (a bounded look at recent mail, and the calendar's full listing).
   */
  connect(accountId: string): Promise<WatchState>;
  /**
   * Before the token is forgotten (or after Google refused it): stops the watch and the channel
   * as far as Google still lets us, and removes the push routes so no push finds the account.
   */
  disconnect(accountId: string): Promise<void>;
  /** The daily cron: renews what expires soon, for every connected account. */
  renewAll(): Promise<RenewReport>;
}

const DAY_MS = 86_400_000;

export class NotConnected extends Error {
  override readonly name = "NotConnected";
}

export function createWatchService(deps: WatchDeps): WatchService {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const randomId = deps.randomId ?? (() => `decorum-${randomBytes(18).toString("base64url")}`);
  const gmailWithin = deps.gmailRenewWithinMs ?? 6 * DAY_MS;
  const channelWithin = deps.channelRenewWithinMs ?? 2 * DAY_MS;

  async function open(accountId: string): Promise<{ account: Account; google: GoogleClients }> {
    const account = await deps.accounts.getAccount(accountId);
    if (!account) throw new NotConnected(`No account ${accountId}`);
    const token = await deps.accounts.getRefreshToken(accountId);
    if (!token) throw new NotConnected(`Account ${accountId} has no Google authorisation`);
    return { account, google: deps.googleFor(account, token) };
  }

  async function watchGmail(account: Account, google: GoogleClients): Promise<Date> {
    // The route first: Gmail sends one notification as soon as the watch exists.
    await deps.directory.putGmailRoute(account.email, account.accountId);
    const watch = await google.gmail.watch({ topicName: deps.topicName, labelIds: ["INBOX"] });
    await deps.accounts.setGmailWatch(account.accountId, { expiration: watch.expiration });
    return watch.expiration;
  }

  async function newChannel(
    account: Account,
    google: GoogleClients,
  ): Promise<{ channelId: string; expiration: Date }> {
    const id = randomId();
    const token = randomBytes(32).toString("base64url");
    const ttlSeconds = deps.channelTtlSeconds ?? 7 * 86_400;
    // Routed before the watch call: the first ("sync") notification can beat its response.
    await deps.directory.putCalendarRoute({
      accountId: account.accountId,
      channelId: id,
      resourceId: "",
      expiration: new Date(now().getTime() + ttlSeconds * 1000),
      token,
    });
    const channel = await google.calendar.watch({
      id,
      address: deps.calendarAddress,
      token,
      ttlSeconds,
    });
    await deps.directory.putCalendarRoute({
      accountId: account.accountId,
      channelId: channel.id,
      resourceId: channel.resourceId,
      expiration: channel.expiration,
      token,
    });
    await deps.accounts.setCalendarChannel(account.accountId, channel);
    const old = account.calendar.channel;
    if (old && old.id !== channel.id) {
      try {
        await google.calendar.stopChannel({ id: old.id, resourceId: old.resourceId });
      } catch (error) {
        // It expires on its own; its pushes only cause a harmless extra sync until then.
        log({ event: "watch.stop_failed", accountId: account.accountId, error: messageOf(error) });
      }
      await deps.directory.deleteCalendarRoute(old.id, account.accountId);
    }
    return { channelId: channel.id, expiration: channel.expiration };
  }

  async function markDisconnected(accountId: string, error: Error): Promise<void> {
    await deps.accounts.setConnection(accountId, {
      state: "disconnected",
      reason: error.message,
      forgetToken: true,
    });
  }

  return {
    async connect(accountId) {
      const { account, google } = await open(accountId);
      const gmailExpiration = await watchGmail(account, google);
      const calendar = await newChannel(account, google);
      const jobs: Job[] = [
        { type: "gmail-sync", accountId, reason: "connect" },
        { type: "calendar-sync", accountId, reason: "connect" },
      ];
      for (const job of jobs) await deps.queue?.enqueue(job);
      return { gmail: { expiration: gmailExpiration }, calendar };
    },

    async disconnect(accountId) {
      const account = await deps.accounts.getAccount(accountId);
      if (!account) return;
      const token = await deps.accounts.getRefreshToken(accountId).catch(() => null);
      const channel = account.calendar.channel;
      if (token) {
        const google = deps.googleFor(account, token);
        // Best effort: a revoked grant cannot stop anything, and both lapse within a week.
        await google.gmail.stop().catch((error: unknown) => {
          log({ event: "watch.gmail_stop_failed", accountId, error: messageOf(error) });
        });
        if (channel) {
          await google.calendar
            .stopChannel({ id: channel.id, resourceId: channel.resourceId })
            .catch((error: unknown) => {
              log({ event: "watch.channel_stop_failed", accountId, error: messageOf(error) });
            });
        }
      }
      await deps.directory.deleteGmailRoute(account.email, accountId);
      if (channel) await deps.directory.deleteCalendarRoute(channel.id, accountId);
      await deps.accounts.setCalendarChannel(accountId, null);
      await deps.accounts.setGmailWatch(accountId, { expiration: now() });
    },

    async renewAll() {
      const report: RenewReport = {
        checked: 0,
        gmailRenewed: 0,
        channelsRenewed: 0,
        disconnected: [],
        failed: [],
      };
      let cursor: string | undefined;
      do {
        const page = await deps.accounts.listAccounts({
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const listed of page.items) {
          if (listed.connection.state !== "connected" || !listed.hasRefreshToken) continue;
          report.checked++;
          const at = now().getTime();
          const gmailDue =
            !listed.gmail.watchExpiration ||
            Date.parse(listed.gmail.watchExpiration) - at < gmailWithin;
          const channel = listed.calendar.channel;
          const channelDue = !channel || Date.parse(channel.expiration) - at < channelWithin;
          if (!gmailDue && !channelDue) continue;
          try {
            const { account, google } = await open(listed.accountId);
            if (gmailDue) {
              await watchGmail(account, google);
              report.gmailRenewed++;
            }
            if (channelDue) {
              await newChannel(account, google);
              report.channelsRenewed++;
            }
          } catch (error) {
            if (isDisconnected(error)) {
              await markDisconnected(listed.accountId, error);
              report.disconnected.push(listed.accountId);
              continue;
            }
            report.failed.push({ accountId: listed.accountId, error: messageOf(error) });
            log({
              event: "watch.renew_failed",
              accountId: listed.accountId,
              error: messageOf(error),
            });
          }
        }
        cursor = page.cursor ?? undefined;
      } while (cursor);
      return report;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
