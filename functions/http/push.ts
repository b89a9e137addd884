import { Hono } from "hono";
import * as z from "zod";
import { GoogleError } from "../adapters/google/errors.ts";
import {
  type PushIdentity,
  PushUnauthorized,
  type VerifyPushOptions,
  verifyPushToken,
} from "../adapters/google/push.ts";
import type { JobQueue } from "../adapters/queue/port.ts";
import type { Job } from "../schemas/jobs.ts";
import { type CalendarRoute, channelTokenMatches } from "../sync/push-directory.ts";

/**
 * Google's two push endpoints. Each verifies the sender, puts one small job on the queue and
 * answers 204, within a second: the work happens in the worker. Nothing here loads the Gmail or
 * Calendar client.
 *
 * - POST /push/gmail: a Pub/Sub push. The bearer token must be an OIDC token signed by Google,
 *   issued by accounts.google.com, for this endpoint (audience), to the subscription's service
 *   account with a verified email. Missing → 401; anything else wrong → 403. A verified push for
 *   a mailbox Decorum does not know is acknowledged and ignored (Pub/Sub would redeliver a 4xx).
 * - POST /push/calendar: a Calendar channel notification (no body). The channel id must be one
 *   Decorum created and the channel token must match its secret (compared in constant time).
 *   Missing → 401; unknown channel or wrong token → 403. The first "sync" message only confirms
 *   the channel and starts no work.
 * A queue or certificate failure answers 503, so Google delivers again.
 */

export interface PushDeps {
  queue: JobQueue;
  directory: {
    gmailAccount(address: string): Promise<string | null>;
    calendarRoute(channelId: string): Promise<CalendarRoute | null>;
  };
  /** The Pub/Sub subscription's settings: audience (this endpoint's URL) and service account. */
  gmail: VerifyPushOptions;
  /** Replaces the token check (tests of routing only). */
  verifyToken?: (token: string, options: VerifyPushOptions) => Promise<PushIdentity>;
  log?: (event: Record<string, unknown>) => void;
  /** Told when each push arrives, before verification (the bench's clock). */
  onReceived?: (kind: "gmail" | "calendar") => void;
}

const PubSubPush = z.object({
  message: z.object({ data: z.string().min(1), messageId: z.string().optional() }),
  subscription: z.string().optional(),
});

/** What Gmail publishes; historyId is a JSON number though the guide shows a string. */
const GmailNotification = z.object({
  emailAddress: z.string().min(3),
  historyId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]),
});

function decodeNotification(body: unknown): z.infer<typeof GmailNotification> | null {
  const push = PubSubPush.safeParse(body);
  if (!push.success) return null;
  try {
    const json: unknown = JSON.parse(
      Buffer.from(push.data.message.data, "base64").toString("utf8"),
    );
    const parsed = GmailNotification.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createPushRoutes(deps: PushDeps): Hono {
  const log = deps.log ?? (() => {});
  const verify = deps.verifyToken ?? verifyPushToken;
  const app = new Hono();

  const enqueue = async (job: Job): Promise<boolean> => {
    try {
      await deps.queue.enqueue(job);
      return true;
    } catch (error) {
      log({ event: "push.enqueue_failed", job, error: messageOf(error) });
      return false;
    }
  };

  app.post("/push/gmail", async (c) => {
    deps.onReceived?.("gmail");
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!bearer) return c.body(null, 401, { "www-authenticate": "Bearer" });
    try {
      await verify(bearer, deps.gmail);
    } catch (error) {
      if (error instanceof PushUnauthorized) {
        log({ event: "push.gmail_rejected", reason: error.reason });
        return c.body(null, 403);
      }
      if (error instanceof GoogleError) return c.body(null, 503);
      throw error;
    }
    const notification = decodeNotification(await c.req.json().catch(() => null));
    if (!notification) {
      log({ event: "push.gmail_malformed" });
      return c.body(null, 204);
    }
    const accountId = await deps.directory.gmailAccount(notification.emailAddress);
    if (!accountId) {
      log({ event: "push.gmail_unknown_mailbox" });
      return c.body(null, 204);
    }
    const job: Job = {
      type: "gmail-sync",
      accountId,
      reason: "push",
      historyId: String(notification.historyId),
    };
    return (await enqueue(job)) ? c.body(null, 204) : c.body(null, 503);
  });

  app.post("/push/calendar", async (c) => {
    deps.onReceived?.("calendar");
    const channelId = c.req.header("x-goog-channel-id");
    const token = c.req.header("x-goog-channel-token");
    if (!channelId || !token) return c.body(null, 401);
    const route = await deps.directory.calendarRoute(channelId);
    if (!route || !channelTokenMatches(route, token)) {
      log({ event: "push.calendar_rejected", known: route !== null });
      return c.body(null, 403);
    }
    const resourceId = c.req.header("x-goog-resource-id");
    if (route.resourceId && resourceId !== route.resourceId) {
      log({ event: "push.calendar_rejected", known: true, resource: "mismatch" });
      return c.body(null, 403);
    }
    if (c.req.header("x-goog-resource-state") === "sync") return c.body(null, 204);
    const job: Job = { type: "calendar-sync", accountId: route.accountId, reason: "push" };
    return (await enqueue(job)) ? c.body(null, 204) : c.body(null, 503);
  });

  app.onError((error, c) => {
    log({ event: "push.error", error: messageOf(error) });
    return c.body(null, 503);
  });
  return app;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
