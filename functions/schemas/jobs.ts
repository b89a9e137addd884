import * as z from "zod";

/**
 * The work items on the queue between the push endpoints, the crons and the worker. Small on
 * purpose: a job names an account and what to sync, never the data, so a duplicate or late job
 * costs one cheap look at the account's cursor and nothing else.
 */

export const JOB_TYPES = ["gmail-sync", "calendar-sync"] as const;
export const JobType = z.enum(JOB_TYPES);
export type JobType = z.infer<typeof JobType>;

export const JOB_REASONS = ["push", "periodic", "connect"] as const;
export const JobReason = z.enum(JOB_REASONS);
export type JobReason = z.infer<typeof JobReason>;

export const Job = z.strictObject({
  type: JobType,
  /** Same alphabet as the account store's ids (they become key prefixes). */
  accountId: z.string().regex(/^[A-Za-z0-9._@+-]{1,200}$/),
  reason: JobReason,
  /** The historyId a Gmail push announced: a worker whose cursor is already there does nothing. */
  historyId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
});
export type Job = z.infer<typeof Job>;

export class InvalidJob extends Error {
  override readonly name = "InvalidJob";
}

/** Parses a job from a queue message body (JSON text) or an already-decoded value. */
export function parseJob(input: unknown): Job {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw new InvalidJob("A job must be JSON");
    }
  }
  const parsed = Job.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(job)"}: ${issue.message}`)
    .join("; ");
  throw new InvalidJob(`Not a job: ${problems}`);
}

/** Jobs for one account are serialised; this names the unit of serialisation. */
export function jobKey(job: Pick<Job, "type" | "accountId">): string {
  return `${job.accountId}\u0000${job.type}`;
}
