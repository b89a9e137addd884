import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GoogleError, isDisconnected } from "../../../functions/adapters/google/index.ts";
import type { GoogleEmulator } from "../../emulator/index.ts";
import { callsTo, connect, OWNER, rawMessage, startEmulator } from "./harness.ts";

let emulator: GoogleEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(() => {
  emulator.faults.clear();
});

afterAll(async () => {
  await emulator.close();
});

const GET_PROFILE = "gmail.users.getProfile";
const TOKEN = "oauth.token";

describe("retries", () => {
  it.each([429, 503, 500] as const)(
    "recover from a burst of %i within the bound",
    async (status) => {
      const { clients, time } = connect(emulator);
      const before = callsTo(emulator, GET_PROFILE).length;
      emulator.faults.add({ method: GET_PROFILE, status, times: 3 });
      const profile = await clients.gmail.getProfile();
      expect(profile.emailAddress).toBe(OWNER);
      // Exactly four requests: three failures, one success. gaxios' own retries would add more.
      expect(callsTo(emulator, GET_PROFILE).length - before).toBe(4);
      expect(time.sleeps).toEqual([499, 999, 1998]);
    },
  );

  it("honour Retry-After", async () => {
    const { clients, time } = connect(emulator);
    emulator.faults.add({ method: GET_PROFILE, status: 429, retryAfterSeconds: 7, times: 1 });
    await clients.gmail.getProfile();
    expect(time.sleeps).toEqual([7000]);
  });

  it("give up past the bound with an error that says so", async () => {
    const { clients, time } = connect(emulator, OWNER, {
      retry: { maxWaitMs: 5000, maxAttempts: 50 },
    });
    emulator.faults.add({ method: GET_PROFILE, status: 503 });
    const error = await clients.gmail.getProfile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleError);
    if (!(error instanceof GoogleError)) return;
    expect(error.kind).toBe("unavailable");
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(4);
    expect(error.message).toContain(`${GET_PROFILE} → HTTP 503`);
    expect(error.message).toMatch(
      /Gave up after 4 attempts and 3\.5 s of waiting: the next wait \(4\.0 s\) would exceed the 5\.0 s budget\./,
    );
    expect(time.waited()).toBeLessThanOrEqual(5000);
  });

  it("recover from a dropped connection on a read", async () => {
    const { clients, time } = connect(emulator);
    emulator.faults.add({ method: GET_PROFILE, drop: true, times: 1 });
    await expect(clients.gmail.getProfile()).resolves.toMatchObject({ emailAddress: OWNER });
    expect(time.sleeps).toHaveLength(1);
  });

  it("recover from a request that hangs past the request timeout", async () => {
    const { clients, time } = connect(emulator, OWNER, { config: { requestTimeoutMs: 300 } });
    emulator.faults.add({ method: GET_PROFILE, delayMs: 1500, times: 1 });
    await expect(clients.gmail.getProfile()).resolves.toMatchObject({ emailAddress: OWNER });
    expect(time.sleeps).toHaveLength(1);
  });

  it("never repeat a send whose fate is unknown", async () => {
    const { clients } = connect(emulator);
    const before = callsTo(emulator, "gmail.users.messages.send").length;
    await clients.gmail.getProfile();
    emulator.faults.add({ method: "gmail.users.messages.send", drop: true, times: 1 });
    const raw = `To: ${OWNER}\r\nSubject: Your week\r\n\r\nHello`;
    const error = await clients.gmail.sendSummary({ raw }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unavailable", attempts: 1 });
    expect(callsTo(emulator, "gmail.users.messages.send").length - before).toBe(1);
  });

  it("repeat a send Google refused with 503", async () => {
    const { clients } = connect(emulator);
    await clients.gmail.getProfile();
    emulator.faults.add({ method: "gmail.users.messages.send", status: 503, times: 1 });
    const raw = `To: ${OWNER}\r\nSubject: Your week\r\n\r\nHello`;
    await expect(clients.gmail.sendSummary({ raw })).resolves.toMatchObject({
      id: expect.any(String),
    });
  });

  it("apply to token refreshes too", async () => {
    const { clients, time, persisted } = connect(emulator, OWNER, { withAccessToken: false });
    const before = callsTo(emulator, TOKEN).length;
    emulator.faults.add({ method: TOKEN, status: 503, times: 2 });
    await expect(clients.gmail.getProfile()).resolves.toMatchObject({ emailAddress: OWNER });
    expect(callsTo(emulator, TOKEN).length - before).toBe(3);
    expect(time.sleeps).toHaveLength(2);
    expect(persisted).toHaveLength(1);
  });
});

describe("access tokens", () => {
  it("are fetched from the refresh token when none is stored, and persisted", async () => {
    const { clients, persisted } = connect(emulator, OWNER, { withAccessToken: false });
    await clients.gmail.getProfile();
    expect(persisted).toHaveLength(1);
    expect(persisted[0]?.accessToken).toMatch(/^ya29\./);
    expect(persisted[0]?.expiryDate?.getTime()).toBeGreaterThan(Date.now());
  });

  it("are refreshed once when Google says the stored one expired, and the call succeeds", async () => {
    const { clients, persisted, time } = connect(emulator);
    await clients.gmail.getProfile();
    expect(persisted).toHaveLength(0);
    emulator.expireAccessTokens(OWNER);
    const before = callsTo(emulator, TOKEN).length;
    const profileCalls = callsTo(emulator, GET_PROFILE).length;
    await expect(clients.gmail.getProfile()).resolves.toMatchObject({ emailAddress: OWNER });
    expect(callsTo(emulator, TOKEN).length - before).toBe(1);
    expect(callsTo(emulator, GET_PROFILE).length - profileCalls).toBe(2);
    expect(persisted).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it("are persisted before the request they were refreshed for is sent", async () => {
    const failing = connect(emulator, OWNER, {
      withAccessToken: false,
      config: {
        onTokens: async () => {
          throw new Error("the table is unavailable");
        },
      },
    });
    const sends = callsTo(emulator, "gmail.users.messages.send").length;
    const raw = `To: ${OWNER}\r\nSubject: Your week\r\n\r\nHello`;
    await expect(failing.clients.gmail.sendSummary({ raw })).rejects.toThrow(
      "the table is unavailable",
    );
    expect(callsTo(emulator, "gmail.users.messages.send").length).toBe(sends);
  });

  it("serve Gmail and Calendar from one refresh", async () => {
    const { clients } = connect(emulator);
    emulator.expireAccessTokens(OWNER);
    const before = callsTo(emulator, TOKEN).length;
    await clients.gmail.getProfile();
    await clients.calendar.listEvents({});
    expect(callsTo(emulator, TOKEN).length - before).toBe(1);
  });

  it("end in the Disconnected outcome when the refresh token was revoked, without retrying", async () => {
    const { clients, time } = connect(emulator);
    emulator.revokeRefreshTokens(OWNER);
    emulator.expireAccessTokens(OWNER);
    const before = callsTo(emulator, TOKEN).length;
    const error = await clients.gmail.getRawMessage("anything").catch((e: unknown) => e);
    expect(isDisconnected(error)).toBe(true);
    expect(error).toMatchObject({ kind: "revoked", reason: "invalid_grant", status: 400 });
    expect(String(error)).toContain("reconnect Google on the settings page");
    expect(callsTo(emulator, TOKEN).length - before).toBe(1);
    expect(time.sleeps).toEqual([]);
    // A fresh grant for the same user works again.
    const again = connect(emulator);
    const delivered = await emulator.deliverMessage(
      OWNER,
      rawMessage({ from: "a@b.example", to: OWNER, subject: "x" }),
    );
    await expect(again.clients.gmail.getRawMessage(delivered.id)).resolves.toMatchObject({
      id: delivered.id,
    });
  });
});
