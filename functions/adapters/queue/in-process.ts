import { type Job, jobKey } from "../../schemas/jobs.ts";
import type { JobQueue } from "./port.ts";

/**
 * The local server's queue: the same worker function the SQS consumer runs, in this process,
 * with SQS's delivery rules so that what works locally works deployed:
 * - a failed job is received again after a delay, up to `maxReceives` receives in all, then it
 *   moves to the dead-letter list (SQS's redrive policy, maxReceiveCount);
 * - at most `concurrency` jobs run at once, and never two of one account (the per-account lease
 *   guarantees the same on SQS; here it also keeps the local machine calm).
 *
 * One liberty SQS does not take: a job that waits behind an identical one (same account and
 * type, not yet received) is merged into it, since a sync reads from the stored cursor and does
 * the work of both. On SQS the duplicate is delivered and costs the worker one cursor check.
 */

export interface DeadLetter {
  job: Job;
  receives: number;
  error: string;
}

export interface InProcessQueueOptions {
  /** The worker: resolve when done, throw to have the job received again. */
  run: (job: Job) => Promise<void>;
  /** Receives before a job is dead-lettered (SQS maxReceiveCount). Default 5. */
  maxReceives?: number;
  /** How long a failed job stays invisible before its next receive (the visibility timeout). */
  retryDelayMs?: (receives: number) => number;
  /** Jobs running at once across accounts. Default 4. */
  concurrency?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
  /** Told of each failed receive, for the local server's log. */
  onError?: (job: Job, error: unknown, receives: number) => void;
}

interface Entry {
  job: Job;
  receives: number;
  notBefore: number;
}

export interface QueueStats {
  enqueued: number;
  merged: number;
  received: number;
  succeeded: number;
  failed: number;
  deadLettered: number;
}

const defaultDelay = (receives: number) => Math.min(30_000, 250 * 2 ** (receives - 1));

export class InProcessQueue implements JobQueue {
  readonly deadLetters: DeadLetter[] = [];
  readonly stats: QueueStats = {
    enqueued: 0,
    merged: 0,
    received: 0,
    succeeded: 0,
    failed: 0,
    deadLettered: 0,
  };
  readonly #options: Required<Omit<InProcessQueueOptions, "onDeadLetter" | "onError">> &
    Pick<InProcessQueueOptions, "onDeadLetter" | "onError">;
  readonly #waiting: Entry[] = [];
  /** Accounts with a job running. */
  readonly #busy = new Set<string>();
  readonly #idleWaiters: Array<() => void> = [];
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: InProcessQueueOptions) {
    this.#options = {
      maxReceives: 5,
      retryDelayMs: defaultDelay,
      concurrency: 4,
      ...options,
    };
    if (this.#options.maxReceives < 1 || this.#options.concurrency < 1) {
      throw new RangeError("maxReceives and concurrency must be at least 1");
    }
  }

  async enqueue(job: Job): Promise<void> {
    if (this.#stopped) throw new Error("The queue is stopped");
    this.stats.enqueued++;
    const key = jobKey(job);
    const twin = this.#waiting.find((entry) => entry.receives === 0 && jobKey(entry.job) === key);
    if (twin) {
      this.stats.merged++;
      twin.job = mergeJobs(twin.job, job);
      return;
    }
    this.#waiting.push({ job, receives: 0, notBefore: 0 });
    this.#pump();
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  /** Resolves once nothing is waiting or running (retries included). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops taking jobs; running ones finish. Waiting jobs are dropped, as on a local restart. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#waiting.length = 0;
    if (this.#timer) clearTimeout(this.#timer);
    await this.idle();
  }

  #pump(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const now = Date.now();
    let nextWake = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#waiting.length && this.#running < this.#options.concurrency; ) {
      const entry = this.#waiting[i];
      if (!entry) break;
      if (this.#busy.has(entry.job.accountId)) {
        i++;
        continue;
      }
      if (entry.notBefore > now) {
        nextWake = Math.min(nextWake, entry.notBefore);
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#start(entry);
    }
    if (Number.isFinite(nextWake) && !this.#stopped) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, nextWake - now));
    }
    this.#settleIdle();
  }

  #start(entry: Entry): void {
    this.#running++;
    this.#busy.add(entry.job.accountId);
    entry.receives++;
    this.stats.received++;
    void this.#options
      .run(entry.job)
      .then(
        () => {
          this.stats.succeeded++;
        },
        (error: unknown) => this.#failed(entry, error),
      )
      .finally(() => {
        this.#running--;
        this.#busy.delete(entry.job.accountId);
        this.#pump();
      });
  }

  #failed(entry: Entry, error: unknown): void {
    this.stats.failed++;
    this.#options.onError?.(entry.job, error, entry.receives);
    if (entry.receives >= this.#options.maxReceives) {
      const letter = {
        job: entry.job,
        receives: entry.receives,
        error: error instanceof Error ? error.message : String(error),
      };
      this.stats.deadLettered++;
      this.deadLetters.push(letter);
      this.#options.onDeadLetter?.(letter);
      return;
    }
    if (this.#stopped) return;
    entry.notBefore = Date.now() + this.#options.retryDelayMs(entry.receives);
    this.#waiting.push(entry);
  }

  #settleIdle(): void {
    if (this.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/** Two waiting jobs of one account and type as one: the newer announced historyId wins. */
function mergeJobs(a: Job, b: Job): Job {
  // A job without a historyId (periodic, connect) asks for a full look, which covers a push.
  if (a.reason !== "push" || b.reason !== "push" || !a.historyId || !b.historyId) {
    const { historyId: _drop, ...rest } = a;
    return { ...rest, reason: a.reason === "push" ? b.reason : a.reason };
  }
  return BigInt(a.historyId) >= BigInt(b.historyId) ? a : { ...a, historyId: b.historyId };
}
