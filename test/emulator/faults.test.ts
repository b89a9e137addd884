import type { gmail_v1 } from "@googleapis/gmail";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GoogleEmulator, startGoogleEmulator } from "./index.ts";
import { clientsFor, googleError } from "./testkit.ts";

const OWNER = "owner@example.com";
const OTHER = "other@example.com";
const LIST = "gmail.users.messages.list";

// Alternates 0.9, 0.1, 0.9, … so a probability-0.5 fault fires on every second matching call.
let flip = false;
const alternating = () => {
  flip = !flip;
  return flip ? 0.9 : 0.1;
};

let emu: GoogleEmulator;
let gmail: gmail_v1.Gmail;

beforeAll(async () => {
  emu = await startGoogleEmulator({
    users: [{ email: OWNER }, { email: OTHER }],
    random: alternating,
  });
  gmail = clientsFor(emu, OWNER).gmail;
});

afterEach(() => {
  emu.faults.clear();
});

afterAll(async () => {
  await emu.close();
});

const list = () => gmail.users.messages.list({ userId: "me" });

describe("status faults", () => {
  it("answers 429 with Retry-After and Google's quota error, once", async () => {
    emu.faults.add({ method: LIST, status: 429, retryAfterSeconds: 7, times: 1 });
    const err = await googleError(list());
    expect(err.status).toBe(429);
    expect(err.header("retry-after")).toBe("7");
    expect(err.data).toMatchObject({
      error: {
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        errors: [{ reason: "rateLimitExceeded", domain: "global" }],
      },
    });
    expect((await list()).status).toBe(200);
  });

  it.each([
    [500, "INTERNAL"],
    [503, "UNAVAILABLE"],
  ] as const)("answers %i with status %s", async (status, text) => {
    emu.faults.add({ method: LIST, status, times: 1 });
    const err = await googleError(list());
    expect(err.status).toBe(status);
    expect(err.data).toMatchObject({
      error: { code: status, status: text, errors: [{ reason: "backendError" }] },
    });
  });

  it("fires for the next N matching calls only, leaving other methods alone", async () => {
    emu.faults.add({ method: LIST, status: 503, times: 2 });
    expect((await gmail.users.getProfile({ userId: "me" })).status).toBe(200);
    expect((await googleError(list())).status).toBe(503);
    expect((await googleError(list())).status).toBe(503);
    expect((await list()).status).toBe(200);
  });

  it("fires with a probability, using the injected randomness", async () => {
    emu.faults.add({ method: LIST, status: 500, probability: 0.5 });
    const outcomes: number[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await list().then(
          (r) => r.status,
          async (e: unknown) => (await googleError(Promise.reject(e))).status,
        ),
      );
    }
    expect(outcomes.filter((s) => s === 500)).toHaveLength(3);
    expect(outcomes.filter((s) => s === 200)).toHaveLength(3);
  });

  it("targets one user, and a method prefix with *", async () => {
    emu.faults.add({ user: OTHER, method: "gmail.*", status: 503 });
    const other = clientsFor(emu, OTHER).gmail;
    expect((await googleError(other.users.getProfile({ userId: "me" }))).status).toBe(503);
    expect((await gmail.users.getProfile({ userId: "me" })).status).toBe(200);
    emu.faults.add({ method: "calendar.*", status: 500 });
    const cal = clientsFor(emu, OWNER).calendar;
    expect((await googleError(cal.events.list({ calendarId: "primary" }))).status).toBe(500);
  });

  it("lets the real client's built-in retry ride out one 503", async () => {
    const retrying = clientsFor(emu, OWNER, { retry: true }).gmail;
    emu.faults.add({ method: LIST, status: 503, times: 1 });
    const mark = emu.calls.length;
    expect((await retrying.users.messages.list({ userId: "me" })).status).toBe(200);
    expect(emu.calls.slice(mark).map((c) => c.status)).toEqual([503, 200]);
  });

  it("applies to the OAuth token endpoint too", async () => {
    const { auth } = clientsFor(emu, OWNER, { withRefresh: true });
    emu.faults.add({ method: "oauth.token", status: 503, times: 1 });
    const mark = emu.calls.length;
    // OAuth2Client retries token POSTs on its own, so one 503 is absorbed.
    const refreshed = await auth.refreshAccessToken();
    expect(refreshed.credentials.access_token).toBeTruthy();
    expect(emu.calls.slice(mark).map((c) => `${c.method}:${c.status}`)).toEqual([
      "oauth.token:503",
      "oauth.token:200",
    ]);
  });
});

describe("latency and dropped connections", () => {
  it("delays a response by delayMs and then answers normally", async () => {
    emu.faults.add({ method: LIST, delayMs: 300, times: 1 });
    const started = performance.now();
    expect((await list()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drops the connection without an answer, recorded as status 0", async () => {
    emu.faults.add({ method: LIST, drop: true, times: 1 });
    const mark = emu.calls.length;
    const error = await list().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(
      error && typeof error === "object" && "response" in error ? error.response : undefined,
    ).toBeUndefined();
    expect(emu.calls[mark]).toEqual({ method: LIST, user: OWNER, status: 0 });
    expect((await list()).status).toBe(200);
  });
});
