import type { Hono } from "hono";
import { InProcessQueue, type InProcessQueueOptions } from "../adapters/queue/in-process.ts";
import { createPushRoutes } from "../http/push.ts";
import type { Job } from "../schemas/jobs.ts";
import { enqueuePeriodicSyncs } from "./periodic.ts";
import { createWatchService, type RenewReport, type WatchService } from "./watch.ts";
import { createSyncServices, type SyncServices, type SyncWiring } from "./wiring.ts";
import { type JobOutcome, runJob } from "./worker.ts";

/**
 * Everything the local server needs to watch mail the way the deployed stack does, in one
 * process: the push routes to mount, the in-process queue running the same worker, the watch
 * service for the settings page, and the two crons as plain calls.
 */
export interface LocalSyncOptions extends SyncWiring {
  /** The server's own origin, e.g. http://127.0.0.1:3000 (no trailing slash). */
  baseUrl: string;
  /** The service account whose push tokens are accepted (the emulator's). */
  pushServiceAccount: string;
  /** Google's (the emulator's) PEM certificate URL for push tokens. */
  certsUrl?: string;
  /** projects/P/topics/T for users.watch. */
  topicName: string;
  queue?: Omit<InProcessQueueOptions, "run">;
  onOutcome?: (job: Job, outcome: JobOutcome) => void;
  onFailure?: (job: Job, error: unknown) => void;
  onPushReceived?: (kind: "gmail" | "calendar") => void;
}

export interface LocalSync {
  services: SyncServices;
  queue: InProcessQueue;
  /** Mount with `app.route("/", pushRoutes)`: POST /push/gmail and POST /push/calendar. */
  pushRoutes: Hono;
  watch: WatchService;
  /** The 15-minute cron: a sync job for every connected account. */
  runPeriodicSync(): Promise<{ accounts: number; jobs: number }>;
  /** The daily cron: renew what expires soon. */
  renew(): Promise<RenewReport>;
  /** Stops the queue after the running jobs. */
  stop(): Promise<void>;
}

export function createLocalSync(options: LocalSyncOptions): LocalSync {
  const services = createSyncServices(options);
  const queue = new InProcessQueue({
    ...options.queue,
    run: async (job) => {
      try {
        options.onOutcome?.(job, await runJob(job, services.deps));
      } catch (error) {
        options.onFailure?.(job, error);
        throw error;
      }
    },
  });
  const pushRoutes = createPushRoutes({
    queue,
    directory: services.directory,
    gmail: {
      audience: `${options.baseUrl}/push/gmail`,
      serviceAccountEmail: options.pushServiceAccount,
      ...(options.certsUrl ? { certsUrl: options.certsUrl } : {}),
    },
    ...(options.log ? { log: options.log } : {}),
    ...(options.onPushReceived ? { onReceived: options.onPushReceived } : {}),
  });
  const watch = createWatchService({
    accounts: services.accounts,
    directory: services.directory,
    googleFor: services.googleFor,
    queue,
    topicName: options.topicName,
    calendarAddress: `${options.baseUrl}/push/calendar`,
    ...(options.now ? { now: options.now } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    services,
    queue,
    pushRoutes,
    watch,
    runPeriodicSync: () => enqueuePeriodicSyncs(services.accounts, queue),
    renew: () => watch.renewAll(),
    stop: () => queue.stop(),
  };
}
