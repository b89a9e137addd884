import { GoogleError } from "./errors.ts";

/**
 * The one retry policy for every Google call. Exponential backoff with full jitter, Retry-After
 * honoured, and a bound on the total time spent waiting so a Lambda never times out mid-sleep.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts?: number;
  /** The backoff ceiling of the first retry; it doubles each time. Default 500 ms. */
  baseDelayMs?: number;
  /** No single jittered wait exceeds this (a longer Retry-After still wins). Default 10 s. */
  maxDelayMs?: number;
  /** Total time spent sleeping between attempts never exceeds this. Default 20 s. */
  maxWaitMs?: number;
  /** An absolute time (epoch ms, e.g. now + the Lambda's remaining time) no wait may end after. */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told about each retry before its wait; for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: unknown;
}

export const DEFAULT_RETRY = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxWaitMs: 20_000,
} satisfies RetryOptions;

export interface RetryDelayInput {
  /** The attempt that just failed, counting from 1. */
  attempt: number;
  /** What the server asked for through Retry-After, in ms; null when it said nothing. */
  retryAfterMs: number | null;
  /** A number in [0, 1). */
  random: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * How long to wait before the next attempt: a uniformly random wait below an exponentially
 * growing ceiling ("full jitter"), but never less than the server's Retry-After.
 */
export function retryDelay(input: RetryDelayInput): number {
  const base = input.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = input.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const exponent = Math.max(0, input.attempt - 1);
  const ceiling = Math.min(max, base * 2 ** Math.min(exponent, 30));
  const random = Math.min(Math.max(input.random, 0), 1);
  const jittered = Math.floor(random * ceiling);
  return input.retryAfterMs === null ? jittered : Math.max(input.retryAfterMs, jittered);
}

/** The default test of whether an error deserves another attempt. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GoogleError && error.retryable;
}

/**
 * For calls that must not happen twice (sending mail, creating a draft, exchanging a code): retry
 * only when Google certainly did not act, never after an ambiguous failure such as a reset socket.
 */
export function isSafeToResend(error: unknown): boolean {
  return error instanceof GoogleError && error.retryable && error.unprocessed;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs `fn` until it succeeds, fails with an error `retryWhen` rejects, or the budget is spent.
 * The give-up error is the last GoogleError, its message saying how long Decorum tried.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions & { retryWhen?: (error: unknown) => boolean } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_RETRY.maxWaitMs;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const retryWhen = options.retryWhen ?? isRetryable;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!retryWhen(error)) {
        throw error instanceof GoogleError && attempt > 1
          ? error.with({ attempts: attempt })
          : error;
      }
      const retryAfterMs = error instanceof GoogleError ? error.retryAfterMs : null;
      const delayMs = retryDelay({
        attempt,
        retryAfterMs,
        random: random(),
        baseDelayMs: options.baseDelayMs,
        maxDelayMs: options.maxDelayMs,
      });
      const overBudget = waited + delayMs > maxWaitMs;
      const pastDeadline = options.deadline !== undefined && now() + delayMs > options.deadline;
      if (attempt >= maxAttempts || overBudget || pastDeadline) {
        const why =
          attempt >= maxAttempts
            ? ""
            : overBudget
              ? `: the next wait (${seconds(delayMs)}) would exceed the ${seconds(maxWaitMs)} budget`
              : `: the next wait (${seconds(delayMs)}) would run past the deadline`;
        throw giveUp(
          error,
          `Gave up after ${attempt} attempt${attempt === 1 ? "" : "s"} and ${seconds(waited)} of waiting${why}.`,
          attempt,
        );
      }
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
      waited += delayMs;
    }
  }
}

function giveUp(error: unknown, sentence: string, attempts: number): unknown {
  if (!(error instanceof GoogleError)) return error;
  return error.with({ attempts, message: `${error.message} ${sentence}` });
}
