import { baseUrl, settingsUrl } from "./api";
import { runtime, setting } from "./config";
import { jobs } from "./queue";
import { googleClientId, googleClientSecret, tokenKey } from "./secrets";
import { table } from "./storage";

/**
 * Scheduled work, on EventBridge Scheduler (CronV2 takes a time zone; the deprecated Cron does
 * not). All three run in UTC: none depends on a wall clock. The summary fires every hour and
 * sends to the accounts whose own send hour (in their own time zone) it is.
 */

/** Pushes can be lost; every 15 minutes each connected account gets a sync job anyway. */
export const fallbackSync = new sst.aws.CronV2("FallbackSync", {
  schedule: "rate(15 minutes)",
  timezone: "UTC",
  function: {
    handler: "functions/handlers/sync.handler",
    ...runtime,
    memory: "256 MB",
    timeout: "60 seconds",
    // The account store opens with the token key even to list accounts.
    link: [table, jobs, tokenKey],
  },
});

/** A Gmail watch lasts 7 days and a Calendar channel about as long; renew daily, well before. */
export const renewal = new sst.aws.CronV2("Renewal", {
  schedule: "cron(17 3 * * ? *)",
  timezone: "UTC",
  function: {
    handler: "functions/handlers/renew.handler",
    ...runtime,
    memory: "512 MB",
    timeout: "5 minutes",
    link: [table, googleClientId, googleClientSecret, tokenKey],
    environment: {
      DECORUM_PUBSUB_TOPIC: setting("DECORUM_PUBSUB_TOPIC"),
      // New Calendar channels point at POST /push/calendar.
      DECORUM_BASE_URL: baseUrl,
    },
  },
});

export const weeklySummary = new sst.aws.CronV2("WeeklySummary", {
  schedule: "cron(0 * * * ? *)",
  timezone: "UTC",
  function: {
    handler: "functions/handlers/summary.handler",
    ...runtime,
    memory: "512 MB",
    timeout: "5 minutes",
    link: [table, googleClientId, googleClientSecret, tokenKey, settingsUrl],
  },
});
