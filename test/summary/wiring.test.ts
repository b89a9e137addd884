import { describe, expect, it } from "vitest";
import { GoogleError, type GoogleErrorInit } from "../../functions/adapters/google/errors.ts";
import { SendRefused } from "../../functions/adapters/google/recipients.ts";
import { DEFAULT_SETTINGS } from "../../functions/schemas/settings.ts";
import { healthOf, type SummaryAccount } from "../../functions/summary/job.ts";
import { classifySendFailure } from "../../functions/summary/wiring.ts";

const google = (init: Partial<GoogleErrorInit>) =>
  new GoogleError({
    kind: "unavailable",
    message: "m",
    method: "gmail.users.messages.send",
    ...init,
  });

describe("classifySendFailure", () => {
  it.each([
    [
      "a refusal to send to anyone but the owner",
      new SendRefused("no"),
      { status: "not_sent", retry: false, disconnected: false },
    ],
    [
      "a revoked grant",
      google({ kind: "revoked", status: 400 }),
      { status: "not_sent", retry: false, disconnected: true },
    ],
    [
      "a 503 (Google did not act)",
      google({ status: 503, retryable: true, unprocessed: true }),
      { status: "not_sent", retry: true },
    ],
    [
      "a rate limit",
      google({ kind: "rate_limited", status: 429, retryable: true, unprocessed: true }),
      { status: "not_sent", retry: true },
    ],
    [
      "a refused connection",
      google({ retryable: true, unprocessed: true }),
      { status: "not_sent", retry: true },
    ],
    ["a 400", google({ kind: "bad_request", status: 400 }), { status: "not_sent", retry: false }],
    ["a 403", google({ kind: "forbidden", status: 403 }), { status: "not_sent", retry: false }],
    ["a 500 (may have sent)", google({ status: 500, retryable: true }), { status: "unknown" }],
    ["a reset connection (may have sent)", google({ retryable: true }), { status: "unknown" }],
    ["an error that is not Google's", new TypeError("bug"), { status: "unknown" }],
  ])("treats %s as %j", (_label, error, expected) => {
    expect(classifySendFailure(error)).toMatchObject(expected);
  });
});

describe("healthOf", () => {
  const now = new Date("2025-03-31T07:00:00.000Z");
  const base: SummaryAccount = {
    accountId: "a",
    email: "alex@firm.example",
    settings: { ...DEFAULT_SETTINGS, timeZone: "Europe/London" },
    connection: { state: "connected" },
    gmailWatchExpiration: "2025-04-05T00:00:00.000Z",
    calendarChannelExpiration: "2025-04-05T00:00:00.000Z",
  };

  it.each([
    ["live watches", {}, []],
    [
      "a lapsed Gmail watch",
      { gmailWatchExpiration: "2025-03-29T10:00:00.000Z" },
      [/Gmail notifications lapsed on Sat 29 Mar, 10:00/],
    ],
    [
      "no calendar channel",
      { calendarChannelExpiration: null },
      [/Calendar notifications are not set up/],
    ],
  ])("reports %s", (_label, overrides, problems) => {
    const health = healthOf({ ...base, ...overrides }, now, 2);
    expect(health.problems).toHaveLength(problems.length);
    for (const [i, pattern] of problems.entries()) expect(health.problems[i]).toMatch(pattern);
    expect(health.parseFailures).toBe(2);
  });
});
