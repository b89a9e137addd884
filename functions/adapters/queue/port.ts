import type { Job } from "../../schemas/jobs.ts";

/** Where the push endpoints and the crons put work for the worker. */
export interface JobQueue {
  enqueue(job: Job): Promise<void>;
}

/** The queue could not take the job: the caller answers 5xx so the sender delivers again. */
export class QueueError extends Error {
  override readonly name = "QueueError";
}
