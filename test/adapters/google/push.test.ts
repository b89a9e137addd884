import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GoogleError,
  PushUnauthorized,
  verifyPushToken,
} from "../../../functions/adapters/google/index.ts";
import type { GoogleEmulator } from "../../emulator/index.ts";

const AUDIENCE = "https://decorum.example/gmail/push";
const PUSH_ACCOUNT = "gmail-push@decorum-project.iam.gserviceaccount.com";

let emulator: GoogleEmulator;

beforeAll(async () => {
  const { startGoogleEmulator } = await import("../../emulator/index.ts");
  emulator = await startGoogleEmulator({ pushServiceAccount: PUSH_ACCOUNT });
});

afterAll(async () => {
  await emulator.close();
});

function verify(token: string) {
  return verifyPushToken(token, {
    audience: AUDIENCE,
    serviceAccountEmail: PUSH_ACCOUNT,
    certsUrl: emulator.endpoints.certsUrl,
  });
}

describe("verifyPushToken", () => {
  it("accepts the token Pub/Sub attaches for our subscription", async () => {
    const token = await emulator.signPushToken({ audience: AUDIENCE });
    const identity = await verify(token);
    expect(identity.email).toBe(PUSH_ACCOUNT);
    expect(identity.audience).toBe(AUDIENCE);
    expect(identity.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ["a forged signature", { key: "forged" as const }, "signature"],
    ["another audience", { audience: "https://attacker.example/push" }, "audience"],
    [
      "another service account",
      { email: "someone@evil-project.iam.gserviceaccount.com" },
      "wrong_sender",
    ],
    ["an unverified email", { emailVerified: false }, "email_unverified"],
    ["an expired token", { expiresInSeconds: -3600 }, "expired"],
  ])("rejects %s", async (_name, overrides, reason) => {
    const token = await emulator.signPushToken({ audience: AUDIENCE, ...overrides });
    const error = await verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushUnauthorized);
    expect(error).toMatchObject({ reason });
    expect(String(error)).not.toContain(token);
  });

  it.each([["not a JWT"], [""], ["a.b.c"]])("rejects the malformed token %j", async (token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(PushUnauthorized);
  });

  it("says Google is unavailable, not that the push is forged, when certificates cannot be fetched", async () => {
    const token = await emulator.signPushToken({ audience: AUDIENCE });
    const error = await verifyPushToken(token, {
      audience: AUDIENCE,
      serviceAccountEmail: PUSH_ACCOUNT,
      certsUrl: "http://127.0.0.1:9/oauth2/v1/certs",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleError);
    expect(error).toMatchObject({ kind: "unavailable" });
  });
});
