import { describe, expect, it } from "vitest";
import { GoogleError, parseRetryAfter } from "../../../functions/adapters/google/errors.ts";
import { isSafeToResend, retryDelay, withRetry } from "../../../functions/adapters/google/retry.ts";

describe("retryDelay", () => {
  it.each([
    // attempt, retryAfterMs, random, expected (base 500 ms, cap 10 s)
    [1, null, 0, 0],
    [1, null, 0.5, 250],
    [1, null, 0.999, 499],
    [2, null, 0.5, 500],
    [3, null, 0.5, 1000],
    [5, null, 0.999, 7992],
    [6, null, 0.999, 9990],
    [20, null, 0.999, 9990],
    [1, 3000, 0.1, 3000],
    [5, 1000, 0.999, 7992],
    [1, 60_000, 0.5, 60_000],
    [1, 0, 0.5, 250],
  ])(
    "attempt %i, Retry-After %s ms, random %f → %i ms",
    (attempt, retryAfterMs, random, expected) => {
      expect(retryDelay({ attempt, retryAfterMs, random })).toBe(expected);
    },
  );

  it("uses the configured base and ceiling", () => {
    expect(
      retryDelay({
        attempt: 4,
        retryAfterMs: null,
        random: 0.5,
        baseDelayMs: 100,
        maxDelayMs: 300,
      }),
    ).toBe(150);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  it.each([
    ["delta seconds", "7", 7000],
    ["zero", "0", 0],
    ["an HTTP date", "Sat, 01 Mar 2025 12:00:30 GMT", 30_000],
    ["a date in the past", "Sat, 01 Mar 2025 11:00:00 GMT", 0],
    ["garbage", "soon", null],
    ["empty", "", null],
    ["absent", null, null],
  ])("reads %s", (_name, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

function transient(status: number, retryAfterMs: number | null = null): GoogleError {
  return new GoogleError({
    kind: status === 429 ? "rate_limited" : "unavailable",
    method: "test.call",
    status,
    message: `Google is having trouble (HTTP ${status}).`,
    retryable: true,
    unprocessed: status === 429 || status === 503,
    retryAfterMs,
  });
}

function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.999,
  };
}

describe("withRetry", () => {
  it("returns the first success after transient failures", async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw transient(503);
      return "ok";
    }, clock);
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([499, 999]);
  });

  it("never retries an error that is not transient", async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = await withRetry(async () => {
      calls++;
      throw new GoogleError({ kind: "forbidden", method: "test.call", status: 403, message: "no" });
    }, clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleError);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("never retries an error that is not Google's", async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new TypeError("a bug");
      }, fakeClock()),
    ).rejects.toThrow("a bug");
    expect(calls).toBe(1);
  });

  it("gives up once the next wait would pass the budget, having waited no more than it", async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw transient(503);
      },
      { ...clock, maxAttempts: 100, maxWaitMs: 5000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleError);
    if (!(error instanceof GoogleError)) return;
    expect(error.kind).toBe("unavailable");
    expect(error.attempts).toBe(calls);
    expect(error.message).toMatch(
      /Gave up after \d+ attempts and [\d.]+ s of waiting: the next wait/,
    );
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(5000);
    expect(clock.sleeps).toEqual([499, 999, 1998]);
  });

  it("gives up after the last attempt", async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw transient(429);
      },
      { ...clock, maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ kind: "rate_limited", attempts: 3 });
    expect(String(error)).toContain("Gave up after 3 attempts");
  });

  it("waits as long as Retry-After asks", async () => {
    const clock = fakeClock();
    let calls = 0;
    await withRetry(async () => {
      calls++;
      if (calls === 1) throw transient(429, 4000);
      return calls;
    }, clock);
    expect(clock.sleeps).toEqual([4000]);
  });

  it("gives up at once when Retry-After asks for more than the budget", async () => {
    const clock = fakeClock();
    const error = await withRetry(
      async () => {
        throw transient(429, 60_000);
      },
      { ...clock, maxWaitMs: 20_000 },
    ).catch((e: unknown) => e);
    expect(clock.sleeps).toEqual([]);
    expect(error).toMatchObject({ kind: "rate_limited", attempts: 1 });
  });

  it("never sleeps past the deadline", async () => {
    const clock = fakeClock();
    const deadline = clock.now() + 1200;
    await expect(
      withRetry(
        async () => {
          throw transient(500);
        },
        { ...clock, deadline, maxWaitMs: 60_000 },
      ),
    ).rejects.toThrow(/run past the deadline/);
    expect(clock.now()).toBeLessThanOrEqual(deadline);
  });

  it("repeats a call with effects only when Google certainly did not act", async () => {
    const ambiguous = new GoogleError({
      kind: "unavailable",
      method: "gmail.users.messages.send",
      message: "reset",
      retryable: true,
    });
    expect(isSafeToResend(ambiguous)).toBe(false);
    expect(isSafeToResend(transient(503))).toBe(true);
    expect(isSafeToResend(transient(500))).toBe(false);
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw ambiguous;
        },
        { ...fakeClock(), retryWhen: isSafeToResend },
      ),
    ).rejects.toBe(ambiguous);
    expect(calls).toBe(1);
  });
});
