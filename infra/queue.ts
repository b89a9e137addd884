import { runtime } from "./config";
import { googleClientId, googleClientSecret, tokenKey } from "./secrets";
import { table } from "./storage";

/**
 * Sync jobs (`{ type, accountId, reason, historyId? }`): the push endpoints and the fallback cron
 * enqueue, the worker syncs. A job that fails five times lands in the dead-letter queue, kept
 * 14 days for inspection (`aws sqs receive-message`) instead of retrying forever.
 */
export const deadLetters = new sst.aws.Queue("JobsDeadLetter", {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 60 * 60 } },
});

/**
 * The worker may run up to WORKER_TIMEOUT; a message must stay invisible longer than that or a
 * second worker would pick it up mid-sync. AWS's guidance for Lambda consumers is six times the
 * function timeout, which also absorbs the event source's own retries.
 */
export const WORKER_TIMEOUT_SECONDS = 120;
export const VISIBILITY_TIMEOUT_SECONDS = 6 * WORKER_TIMEOUT_SECONDS;

export const jobs = new sst.aws.Queue("Jobs", {
  visibilityTimeout: `${VISIBILITY_TIMEOUT_SECONDS} seconds`,
  dlq: { queue: deadLetters.arn, retry: 5 },
});

jobs.subscribe(
  {
    handler: "functions/handlers/worker.handler",
    ...runtime,
    memory: "1024 MB",
    timeout: `${WORKER_TIMEOUT_SECONDS} seconds`,
    link: [table, googleClientId, googleClientSecret, tokenKey],
  },
  {
    // Only the failed jobs of a batch come back (the worker returns batchItemFailures).
    batch: { size: 10, window: "1 second", partialResponses: true },
  },
);
